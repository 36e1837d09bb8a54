"""``kiosk doctor`` probes for the PC/SC readers: pcscd answers and the reader is there.

If a card is in the reader the probe also says whether it answers as expected (the
social-security application selects; the staff card gives a UID), without reading or
printing any personal data.
"""
from __future__ import annotations

from typing import Any

from drivers.health import Health
from drivers.smartcard.errors import PcscUnavailable, ReaderMissing, SmartCardError
from drivers.smartcard.pcsc import PcscSession
from drivers.smartcard.sscard import SSSE_AID, exchange, read_uid, select_aid


def _probe(device_config: Any, check_card) -> Health:
    session = PcscSession()
    try:
        name = session.find_reader(getattr(device_config, "reader", "") or None)
        if not session.card_present(name):
            return Health.ok(f"{name}: no card")
        with session.connect(name) as conn:
            return Health.ok(f"{name}: {check_card(conn)}")
    except ImportError:
        return Health.fault("pcsc_missing", "pyscard is not installed")
    except PcscUnavailable as exc:
        return Health.fault("pcscd_unreachable", str(exc))
    except ReaderMissing as exc:
        return Health.fault("reader_missing", str(exc))
    except SmartCardError as exc:
        return Health.degraded("card_error", str(exc))
    finally:
        session.close()


def probe_sscard(device_config: Any) -> Health:
    def check(conn) -> str:
        exchange(conn, select_aid(SSSE_AID), "select SSSE")
        return "social-security application present"

    return _probe(device_config, check)


def probe_staffcard(device_config: Any) -> Health:
    return _probe(device_config, lambda conn: f"card UID of {len(read_uid(conn)) // 2} bytes")
