"""Terminal and evaluator configuration: TOML files validated with pydantic.

A hall technician edits these files by hand, so a mistake must be reported as one line that
names the file, the key and what is wrong (``config/terminal.toml: devices.printer.port: not
a serial port or host:port``), never as a traceback. Unknown keys are errors too: a typo such
as ``idle_timeout`` for ``idle_timeout_s`` would otherwise be silently ignored.

The sections are frozen standard-library dataclasses, not pydantic models, so that the UI
process can hold a config without importing pydantic: importing it and building the models
cost a quarter of a second of the terminal's cold start (bench/startup.py). pydantic still
does all the validating, in :mod:`kiosk.config_validation`, reading the constraints from the
string annotations below (``Field``, ``AfterValidator`` are bound there when it is first
used); a validated config is kept by :mod:`kiosk.config_cache` so that a later start of the
same file needs no pydantic at all. A section built directly in code (tests) is not validated.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, dataclass_transform

from drivers.ports import PortKind, PortSpec, PortSyntaxError, parse_port
from kiosk.errors import ConfigError

if TYPE_CHECKING:  # bound by kiosk.config_validation before pydantic reads the annotations
    from pydantic import AfterValidator, Field

__all__ = ["ConfigError", "KioskConfig", "load_kiosk_config"]

S = TypeVar("S", bound="ConfigSection")
C = TypeVar("C", bound=type)


@dataclass_transform(frozen_default=True, kw_only_default=True)
def section(cls: C) -> C:
    """A frozen, keyword-only dataclass; ``repr``, ``==`` and ``hash`` come from :class:`ConfigSection`.

    Generating those three per class (``exec`` of new source each) was a third of the time it
    took to import this module, which the UI does before its first frame.
    """
    return dataclass(frozen=True, kw_only=True, repr=False, eq=False)(cls)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ConfigSection:
    """A frozen table of the config file; unknown keys are refused when validated."""

    __pydantic_config__ = {"extra": "forbid"}  # a pydantic ConfigDict, read only when validating

    @classmethod
    def validate(cls: type[S], data: dict[str, Any], path: str | Path = "(config)",
                 prefix: tuple[str, ...] = ()) -> S:
        """Validate and convert ``data`` (TOML or JSON values); :class:`ConfigError` if it is wrong."""
        return validate_model(cls, data, path, prefix)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), *(tuple(v) if isinstance(v, list) else v for v in self._values())))

    def replace(self: S, **changes: Any) -> S:
        """A copy with some fields changed (not validated: the caller passes checked values)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, as :meth:`validate` takes them back."""
        from kiosk.config_validation import dump

        return dump(self)


def _checked_port(value: str, *allowed: PortKind) -> str:
    try:
        parse_port(value, allowed)
    except PortSyntaxError as exc:
        raise ValueError(str(exc)) from None
    return value


def _serial_port(value: str) -> str:
    return _checked_port(value, "serial")


def _printer_port(value: str) -> str:
    return _checked_port(value, "serial", "tcp", "usb", "file")


@section
class DeviceBase(ConfigSection):
    """What every peripheral entry has: whether the device may be missing."""

    required: bool = True
    simulated: Annotated[bool, Field(description="started as a simulator by the demo and the tests")] = False

    def port_spec(self) -> PortSpec | None:
        port = getattr(self, "port", None)
        return parse_port(port) if port else None


@section
class IdCardReaderConfig(DeviceBase):
    """The resident ID card reader: a SAM module on a serial line (GA 467)."""

    kind: Literal["sam"] = "sam"
    port: Annotated[str, AfterValidator(_serial_port)]
    baudrate: Literal[115200, 57600, 38400, 19200, 9600] = 115200
    fallback_baudrate: Literal[115200, 57600, 38400, 19200, 9600] | None = 9600
    poll_interval_s: Annotated[float, Field(gt=0, le=5, description="pause between find-card polls (one costs ~2 ms at 115200)")] = 0.05
    photo_decoder: Annotated[Path | None, Field(description="vendor WLT library (libwlt.so); none: no photo")] = None
    timeout_s: Annotated[float, Field(gt=0, le=10, description="answer deadline per command, beyond wire time")] = 1.0
    retries: Annotated[int, Field(ge=0, le=5, description="resends of a garbled or lost frame")] = 2


@section
class PcscReaderConfig(DeviceBase):
    """A PC/SC reader through pcscd: the 社保卡 reader or the staff-card pad."""

    kind: Literal["pcsc"] = "pcsc"
    reader: Annotated[str, Field(description="substring of the PC/SC reader name; empty = first reader")] = ""
    poll_interval_s: Annotated[float, Field(gt=0, le=5)] = 0.3


def _known_profile(value: str) -> str:
    from drivers.printer.profiles import profile_names

    if value not in profile_names():
        raise ValueError("unknown printer profile; known: default, xprinter-58, kiosk-raster-qr, "
                         "or a python-escpos model such as TM-T88V")
    return value


@section
class ThermalPrinterConfig(DeviceBase):
    """The ESC/POS receipt printer: serial, TCP 9100, USB or a file."""

    kind: Literal["escpos"] = "escpos"
    port: Annotated[str, AfterValidator(_printer_port)]
    paper_width_mm: Literal[58, 80] = 80
    profile: Annotated[str, AfterValidator(_known_profile),
                       Field(description="capability profile (drivers.printer.profiles)")] = "default"
    timeout_s: Annotated[float, Field(gt=0, le=60)] = 5.0
    baudrate: Literal[115200, 57600, 38400, 19200, 9600] = 9600
    settle_s: Annotated[float, Field(ge=0, le=30, description="wait before the after-job status check")] = 0.0



@section
class CupsPrinterConfig(DeviceBase):
    """The A4 printer, a CUPS queue."""

    kind: Literal["cups"] = "cups"
    queue: Annotated[str, Field(min_length=1)]
    server: Annotated[str, Field(description="host:port of cupsd; empty = the local default (localhost:631)")] = ""
    job_timeout_s: Annotated[float, Field(gt=0, le=3600, description="give up following a job after this")] = 120


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


@section
class CodeRulesFields(ConfigSection):
    """How decoded codes are classified (kiosk.payloads); shared by QR cameras and scanners."""

    licence_pattern: Annotated[str, AfterValidator(_check_regex), Field(
        description="regex for electronic-licence (电子证照) tokens; group 'token' is what the backend verifies",
    )] = r"^DZZZ:(?P<token>[A-Za-z0-9+/=_.-]{16,512})$"
    max_payload_bytes: Annotated[int, Field(ge=16, le=65536, description="longer codes are refused")] = 2048


def _barcode_formats(value: list[str]) -> list[str]:
    known = {"QRCode", "MicroQRCode", "RMQRCode", "DataMatrix", "PDF417", "Aztec", "Code128", "Code39", "Code93",
             "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar", "DataBar"}  # zxing-cpp format names
    unknown = [f for f in value if f not in known]
    if unknown or not value:
        raise ValueError(f"unknown barcode formats {unknown}; use some of {sorted(known)}")
    return value


@section
class CameraConfig(DeviceBase, CodeRulesFields):
    """A camera read with OpenCV: the QR code camera or the document camera."""

    kind: Literal["opencv"] = "opencv"
    source: Annotated[str, Field(min_length=1, description="device index, /dev/videoN, a video file or an image folder")]
    width: Annotated[int, Field(gt=0)] = 1280
    height: Annotated[int, Field(gt=0)] = 720
    fps: Annotated[float, Field(gt=0, le=60, description="pace of a video file or image folder source")] = 10
    reconnect_s: Annotated[float, Field(gt=0, le=60)] = 2.0
    repeat_after_s: Annotated[float, Field(gt=0, le=600, description="report a code still in view again after")] = 3.0
    formats: Annotated[list[str], AfterValidator(_barcode_formats),
                       Field(description="zxing-cpp names; DataMatrix and PDF417 cost 1.5-2x decode time")] = field(
        default_factory=lambda: ["QRCode", "MicroQRCode", "Code128", "Code39", "Code93",
                                 "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar"])
    min_page_area: Annotated[float, Field(gt=0, lt=1, description="document camera: smallest page share")] = 0.15


@section
class ScannerConfig(DeviceBase, CodeRulesFields):
    """A hand scanner sending each code as a line (serial) or as key presses (evdev)."""

    kind: Literal["serial", "evdev"] = "serial"
    port: Annotated[str, Field(min_length=1, description="serial port, or /dev/input/eventN for a keyboard-wedge scanner")]
    baudrate: int = 9600
    suffix: Annotated[str, Field(min_length=1, description="end of each code; any line ending if CR/LF")] = "\r\n"
    reconnect_s: Annotated[float, Field(gt=0, le=60)] = 1.0


@section
class SpeakerConfig(DeviceBase):
    """Spoken prompts through espeak-ng (elderly mode, the evaluator's invitation)."""

    kind: Literal["espeak"] = "espeak"
    voice: str = "cmn-latn-pinyin"
    required: bool = False


@section
class DevicesConfig(ConfigSection):
    """The peripherals of this device; a missing entry means not fitted."""

    idcard: IdCardReaderConfig | None = None
    sscard: PcscReaderConfig | None = None
    staffcard: PcscReaderConfig | None = None
    printer: ThermalPrinterConfig | None = None
    a4printer: CupsPrinterConfig | None = None
    qr_camera: CameraConfig | None = None
    doc_camera: CameraConfig | None = None
    scanner: ScannerConfig | None = None
    speaker: SpeakerConfig | None = None

    def configured(self) -> dict[str, DeviceBase]:
        """The devices that are present in the file, by their config name."""
        return {f.name: dev for f in dataclasses.fields(self) if (dev := getattr(self, f.name)) is not None}


_REGION_RE = re.compile(r"^\d{6}(\d{3})?$")


def _region_code(value: str) -> str:
    if value and not _REGION_RE.match(value):
        raise ValueError("not a 6 or 9 digit 行政区划 code")
    return value


@section
class DeviceIdentity(ConfigSection):
    """Which device this is and where it stands."""

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
    name: Annotated[str, Field(max_length=64)] = ""
    hall: Annotated[str, Field(max_length=64, description="service hall name shown on screen")] = ""
    region_code: Annotated[str, AfterValidator(_region_code), Field(description="行政区划 code, 6 or 9 digits")] = ""
    window: Annotated[str, Field(max_length=16, description="window number (evaluator)")] = ""
    location: Annotated[str, Field(max_length=128)] = ""


@section
class UiConfig(ConfigSection):
    """The window, language, idle timeout and font."""

    fullscreen: bool = True
    borderless: bool = True
    show_cursor: bool = False
    width: Annotated[int, Field(ge=320, le=7680)] = 1280
    height: Annotated[int, Field(ge=240, le=4320)] = 800
    left: int | None = None
    top: int | None = None
    language: Literal["zh_CN", "en"] = "zh_CN"
    idle_timeout_s: Annotated[float, Field(ge=5, le=3600)] = 90
    font: Annotated[Path | None, Field(description="a CJK font file; found with fontconfig when unset")] = None
    screenshot_dir: Annotated[Path | None, Field(description="write a screenshot of the window here")] = None
    screenshot_every_s: Annotated[float, Field(gt=0)] = 5
    hotline: Annotated[str, Field(max_length=32, description="service hotline shown when out of service")] = "12345"
    call_staff_interval_s: Annotated[float, Field(ge=5, le=3600, description="repeated 呼叫工作人员 presses within this are not sent again")] = 60
    screen_diagonal_in: Annotated[float, Field(gt=3, le=100, description="physical screen diagonal: touch targets are checked in mm")] = 21.5


_PIN_HASH_RE = re.compile(r"^pbkdf2_sha256\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")


def _pin_hash(value: str) -> str:
    if not _PIN_HASH_RE.match(value):
        raise ValueError("not a PIN hash made by `kiosk hash-pin` (pbkdf2_sha256$...)")
    return value


@section
class MaintenanceConfig(ConfigSection):
    """How a technician opens the maintenance screen."""

    pin_hash: Annotated[str, AfterValidator(_pin_hash), Field(description="made with `kiosk hash-pin`; never the PIN itself")]
    corner_taps: Annotated[int, Field(ge=3, le=10)] = 5
    corner_window_s: Annotated[float, Field(gt=0, le=10)] = 3.0


@section
class ServerLinkConfig(ConfigSection):
    """The management server this device reports to."""

    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")]
    enrol_code: str = ""
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout_s: Annotated[float, Field(gt=0, le=120)] = 10
    required: bool = False


@section
class BackendConfig(ConfigSection):
    """Where the terminal's content (catalog, cases, certificates) comes from (docs/CONTENT_API.md)."""

    source: Annotated[Literal["server", "sample"], Field(description="server: the [server]'s content API; sample: built-in 示例 data (demo, tests)")] = "server"
    catalog_refresh_s: Annotated[float, Field(ge=5, le=86400, description="check the catalog's ETag this often")] = 300
    retry_after_s: Annotated[float, Field(ge=1, le=3600, description="offline: try the server again after")] = 30
    upload_timeout_s: Annotated[float, Field(gt=0, le=600, description="read timeout of an application upload")] = 120


@section
class PathsConfig(ConfigSection):
    """Where the device keeps its data and logs."""

    data_dir: Path = Path("var/kiosk")
    log_dir: Path = Path("var/kiosk/log")


@section
class LivenessConfig(ConfigSection):
    """When the supervisor replaces the UI process."""

    stall_timeout_s: Annotated[float, Field(ge=2, le=600, description="restart when the UI stops ticking this long")] = 30
    max_rss_mb: Annotated[int, Field(ge=64)] = 1024
    restart_backoff_s: Annotated[float, Field(ge=0, le=300)] = 2


_HHMM_RE = r"^([01]\d|2[0-3]):[0-5]\d$"


@section
class WindowApiConfig(ConfigSection):
    """The evaluator's local HTTP API for the window (queue) system; always bound to 127.0.0.1."""

    enabled: bool = True
    port: Annotated[int, Field(ge=1024, le=65535)] = 8765
    token: Annotated[str, Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9._~+/=-]+$", description="shared secret sent as 'Authorization: Bearer TOKEN'")]


@section
class WindowSerialConfig(ConfigSection):
    """An older queue system on a serial line (docs/evaluator-api.md, "Serial line protocol")."""

    enabled: bool = True
    port: Annotated[str, Field(min_length=1, description="serial port, e.g. /dev/ttyUSB0")]
    baudrate: Annotated[int, Field(ge=1200, le=921600)] = 9600
    reconnect_s: Annotated[float, Field(gt=0, le=60)] = 2.0


@section
class EvaluatorConfig(ConfigSection):
    """The window evaluator (评价器): rating rules, staff sign-in, screen hours (issue 10)."""

    api: WindowApiConfig | None = None
    serial: WindowSerialConfig | None = None
    sync_interval_s: Annotated[float, Field(ge=10, le=86400, description="how often staff directory and reason list are fetched")] = 600
    min_interval_s: Annotated[float, Field(ge=0, le=3600, description="between ratings without a new case")] = 30
    invite_timeout_s: Annotated[float, Field(ge=5, le=600, description="unanswered invitation -> not rated")] = 60
    thanks_s: Annotated[float, Field(ge=1, le=60, description="how long the thank-you screen stays")] = 5
    require_staff: Annotated[bool, Field(description="cases and invitations need a signed-in staff member")] = True
    voice: Annotated[bool, Field(description="spoken invitation (espeak-ng) when a speaker is usable")] = True
    staff_file: Annotated[Path | None, Field(description="staff directory JSON; default DATA_DIR/staff.json")] = None
    sample_staff: Annotated[bool, Field(description="seed fictitious demo staff when there is no directory")] = False
    wake_at: Annotated[str, Field(pattern=_HHMM_RE, description="screen on from (local time); = sleep_at: always")] = "07:30"
    sleep_at: Annotated[str, Field(pattern=_HHMM_RE, description="screen dark from (local time)")] = "19:00"
    dim_after_s: Annotated[float, Field(ge=10, le=86400, description="dim when idle this long while awake")] = 300
    logout_at: Annotated[str, Field(pattern=r"^(|([01]\d|2[0-3]):[0-5]\d)$", description="end of day: staff signed out; empty = never")] = "18:30"


@section
class KioskConfig(ConfigSection):
    """The whole configuration of one terminal or evaluator."""

    role: Literal["terminal", "evaluator"]
    config_version: str = "1"
    device: DeviceIdentity
    ui: UiConfig = field(default_factory=UiConfig)
    maintenance: MaintenanceConfig
    server: ServerLinkConfig | None = None
    backend: BackendConfig = field(default_factory=BackendConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    liveness: LivenessConfig = field(default_factory=LivenessConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    evaluator: EvaluatorConfig | None = None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, [("(file)", "not found")]) from None
    except OSError as exc:
        raise ConfigError(path, [("(file)", f"cannot be read: {exc.strerror}")]) from None


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import tomllib  # not needed when the validated config is cached

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(path, [("(file)", "not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [("(syntax)", str(exc))]) from None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a one-line :class:`ConfigError`."""
    return _parse_toml(path, _read_bytes(path))


def validate_model(model: type[S], data: dict[str, Any], path: str | Path, prefix: tuple[str, ...] = ()) -> S:
    """Validate ``data`` as ``model`` with pydantic; every problem becomes a line of :class:`ConfigError`."""
    from kiosk.config_validation import validate

    return validate(model, data, path, prefix)


def load_kiosk_config(path: str | Path, section: str | None = None, *, cached: bool = False) -> KioskConfig:
    """Load a terminal or evaluator config.

    ``section`` picks one table of a file that holds several devices (the demo's
    ``demo.toml`` has ``[terminal]`` and ``[evaluator]``); errors then name keys with the
    section in front so the technician finds the line. ``cached`` (``kiosk run`` and its UI)
    reuses the result of validating exactly these bytes before (:mod:`kiosk.config_cache`).
    """
    path = Path(path)
    raw = _read_bytes(path)
    if cached:
        from kiosk import config_cache

        hit = config_cache.get(path, section, raw)
        if isinstance(hit, KioskConfig):
            return hit
    data = _parse_toml(path, raw)
    prefix: tuple[str, ...] = ()
    if section:
        if section not in data:
            raise ConfigError(path, [(section, "section is missing")])
        data = data[section]
        if not isinstance(data, dict):
            raise ConfigError(path, [(section, "must be a table")])
        prefix = (section,)
    config = validate_model(KioskConfig, data, path, prefix)
    if cached:
        config_cache.put(path, section, raw, config)
    return config
