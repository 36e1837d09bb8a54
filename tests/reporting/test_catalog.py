"""The device's catalog cache against the real server: fetched once, then 304 until it changes."""
from __future__ import annotations

from kiosk.catalog_cache import CatalogCache, CatalogRefreshError
from kiosk.config import ServerLinkConfig
from kiosk.enrolment import enrol
from kiosk.server_link import ServerLink


def _link(server) -> ServerLink:
    link = ServerLink(ServerLinkConfig(url=server.url))
    link.token = enrol(link, server.enrol_code()).token
    return link


def test_catalog_is_cached_and_revalidated_with_etag(tmp_path, mgmt_server):
    mgmt_server.cli("seed-demo")
    link = _link(mgmt_server)
    cache = CatalogCache(tmp_path)
    assert cache.load() == (None, "")
    assert cache.refresh(link) is True
    catalog, etag = cache.load()
    assert catalog and etag
    assert cache.refresh(link) is False  # 304: nothing new, the stored copy stays
    assert cache.load() == (catalog, etag)


def test_refresh_without_a_server_keeps_the_old_catalog(tmp_path, mgmt_server):
    link = _link(mgmt_server)
    cache = CatalogCache(tmp_path)
    cache.refresh(link)
    before = cache.load()
    dead = ServerLink(ServerLinkConfig(url="http://127.0.0.1:9", timeout_s=1))
    dead.token = link.token
    try:
        cache.refresh(dead)
    except CatalogRefreshError as exc:
        assert exc.reason == "server_unreachable"
    else:
        raise AssertionError("a refresh without a server must fail")
    assert cache.load() == before
