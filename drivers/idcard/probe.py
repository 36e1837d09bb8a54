"""``kiosk doctor``'s look at the ID-card reader: does the SAM answer its id command?

A port that opens proves little (any USB-serial adapter opens); a SAM that returns its
16-byte id proves the reader, its speed setting and the module itself. The photo decoder
is checked here too, because a missing one changes what the terminal can show.
"""
from __future__ import annotations

from typing import Any

from drivers.health import Health
from drivers.idcard.errors import (
    FrameTimeout,
    IdCardError,
    ProtocolError,
    ReaderUnavailable,
    SamSelfTestError,
    StatusError,
)
from drivers.idcard.photo import load_decoder
from drivers.idcard.reader import SamReader


def probe(device_config: Any) -> Health:
    """Health of the configured reader; never raises."""
    decoder, photo_note = load_decoder(getattr(device_config, "photo_decoder", None))
    try:
        reader = SamReader.open(
            device_config.port,
            baudrate=device_config.baudrate,
            fallback_baudrate=device_config.fallback_baudrate,
            timeout_s=min(getattr(device_config, "timeout_s", 1.0), 2.0),
            retries=1,
        )
    except ReaderUnavailable as exc:
        return Health.fault("port_missing", str(exc))
    except SamSelfTestError as exc:
        return Health.fault("sam_self_test", str(exc))
    except FrameTimeout:
        return Health.fault("no_answer", f"{device_config.port}: no SAM answer at any configured speed")
    except (ProtocolError, StatusError) as exc:
        return Health.fault("protocol_error", str(exc))
    except IdCardError as exc:
        return Health.fault("reader_error", str(exc))
    try:
        sam_id = reader.sam_id()
        speed = reader.link.baudrate
    except SamSelfTestError as exc:
        return Health.fault("sam_self_test", str(exc))
    except StatusError as exc:
        return Health.fault("sam_status", str(exc))
    except IdCardError as exc:
        return Health.fault("no_answer", str(exc))
    finally:
        reader.close()
    detail = f"SAM {sam_id} at {speed} baud; {photo_note}"
    if getattr(device_config, "photo_decoder", None) and decoder is None:
        return Health.degraded("photo_decoder_unusable", detail)
    return Health.ok(detail)
