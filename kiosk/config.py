"""Terminal and evaluator configuration: TOML files validated with pydantic.

A hall technician edits these files by hand, so a mistake must be reported as one line that
names the file, the key and what is wrong (``config/terminal.toml: devices.printer.port: not
a serial port or host:port``), never as a traceback. Unknown keys are errors too: a typo such
as ``idle_timeout`` for ``idle_timeout_s`` would otherwise be silently ignored.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from drivers.ports import PortKind, PortSpec, PortSyntaxError, parse_port
from kiosk.errors import ConfigError

__all__ = ["ConfigError", "KioskConfig", "load_kiosk_config"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _port_validator(*allowed: PortKind):
    def check(value: str) -> str:
        try:
            parse_port(value, allowed)
        except PortSyntaxError as exc:
            raise ValueError(str(exc)) from None
        return value

    return AfterValidator(check)


SerialPort = Annotated[str, _port_validator("serial")]
PrinterPort = Annotated[str, _port_validator("serial", "tcp", "usb", "file")]


class DeviceBase(StrictModel):
    """What every peripheral entry has: whether the device may be missing."""

    required: bool = True
    simulated: bool = Field(default=False, description="started as a simulator by the demo and the tests")

    def port_spec(self) -> PortSpec | None:
        port = getattr(self, "port", None)
        return parse_port(port) if port else None


class IdCardReaderConfig(DeviceBase):
    kind: Literal["sam"] = "sam"
    port: SerialPort
    baudrate: Literal[115200, 57600, 38400, 19200, 9600] = 115200
    fallback_baudrate: Literal[115200, 57600, 38400, 19200, 9600] | None = 9600
    poll_interval_s: float = Field(default=0.05, gt=0, le=5,
                                   description="pause between find-card polls (one costs ~2 ms at 115200)")
    photo_decoder: Path | None = Field(default=None, description="vendor WLT library (libwlt.so); none: no photo")
    timeout_s: float = Field(default=1.0, gt=0, le=10, description="answer deadline per command, beyond wire time")
    retries: int = Field(default=2, ge=0, le=5, description="resends of a garbled or lost frame")


class PcscReaderConfig(DeviceBase):
    kind: Literal["pcsc"] = "pcsc"
    reader: str = Field(default="", description="substring of the PC/SC reader name; empty = first reader")
    poll_interval_s: float = Field(default=0.3, gt=0, le=5)


class ThermalPrinterConfig(DeviceBase):
    kind: Literal["escpos"] = "escpos"
    port: PrinterPort
    paper_width_mm: Literal[58, 80] = 80
    profile: str = Field(default="default", description="capability profile (drivers.printer.profiles)")
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    baudrate: Literal[115200, 57600, 38400, 19200, 9600] = 9600
    settle_s: float = Field(default=0.0, ge=0, le=30, description="wait before the after-job status check")

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        from drivers.printer.profiles import profile_names

        if value not in profile_names():
            raise ValueError("unknown printer profile; known: default, xprinter-58, kiosk-raster-qr, "
                             "or a python-escpos model such as TM-T88V")
        return value


class CupsPrinterConfig(DeviceBase):
    kind: Literal["cups"] = "cups"
    queue: str = Field(min_length=1)
    server: str = Field(default="", description="host:port of cupsd; empty = the local default (localhost:631)")
    job_timeout_s: float = Field(default=120, gt=0, le=3600, description="give up following a job after this")


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


class CodeRulesFields(BaseModel):
    """How decoded codes are classified (kiosk.payloads); shared by QR cameras and scanners."""

    licence_pattern: Annotated[str, AfterValidator(_check_regex)] = Field(
        default=r"^DZZZ:(?P<token>[A-Za-z0-9+/=_.-]{16,512})$",
        description="regex for electronic-licence (电子证照) tokens; group 'token' is what the backend verifies")
    max_payload_bytes: int = Field(default=2048, ge=16, le=65536, description="longer codes are refused")


class CameraConfig(DeviceBase, CodeRulesFields):
    kind: Literal["opencv"] = "opencv"
    source: str = Field(min_length=1, description="device index, /dev/videoN, a video file or an image folder")
    width: int = Field(default=1280, gt=0)
    height: int = Field(default=720, gt=0)
    fps: float = Field(default=10, gt=0, le=60, description="pace of a video file or image folder source")
    reconnect_s: float = Field(default=2.0, gt=0, le=60)
    repeat_after_s: float = Field(default=3.0, gt=0, le=600, description="report a code still in view again after")
    formats: list[str] = Field(default_factory=lambda: ["QRCode", "MicroQRCode", "Code128", "Code39", "Code93",
                                                        "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar"],
                               description="zxing-cpp names; DataMatrix and PDF417 cost 1.5-2x decode time")
    min_page_area: float = Field(default=0.15, gt=0, lt=1, description="document camera: smallest page share")

    @field_validator("formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        known = {"QRCode", "MicroQRCode", "RMQRCode", "DataMatrix", "PDF417", "Aztec", "Code128", "Code39", "Code93",
                 "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Codabar", "DataBar"}  # zxing-cpp format names
        unknown = [f for f in value if f not in known]
        if unknown or not value:
            raise ValueError(f"unknown barcode formats {unknown}; use some of {sorted(known)}")
        return value


class ScannerConfig(DeviceBase, CodeRulesFields):
    kind: Literal["serial", "evdev"] = "serial"
    port: str = Field(min_length=1, description="serial port, or /dev/input/eventN for a keyboard-wedge scanner")
    baudrate: int = 9600
    suffix: str = Field(default="\r\n", min_length=1, description="end of each code; any line ending if CR/LF")
    reconnect_s: float = Field(default=1.0, gt=0, le=60)


class SpeakerConfig(DeviceBase):
    kind: Literal["espeak"] = "espeak"
    voice: str = "cmn-latn-pinyin"
    required: bool = False


class DevicesConfig(StrictModel):
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
        return {name: dev for name in type(self).model_fields if (dev := getattr(self, name)) is not None}


_REGION_RE = re.compile(r"^\d{6}(\d{3})?$")


class DeviceIdentity(StrictModel):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(default="", max_length=64)
    hall: str = Field(default="", max_length=64, description="service hall name shown on screen")
    region_code: str = Field(default="", description="行政区划 code, 6 or 9 digits")
    window: str = Field(default="", max_length=16, description="window number (evaluator)")
    location: str = Field(default="", max_length=128)

    @field_validator("region_code")
    @classmethod
    def _region(cls, value: str) -> str:
        if value and not _REGION_RE.match(value):
            raise ValueError("not a 6 or 9 digit 行政区划 code")
        return value


class UiConfig(StrictModel):
    fullscreen: bool = True
    borderless: bool = True
    show_cursor: bool = False
    width: int = Field(default=1280, ge=320, le=7680)
    height: int = Field(default=800, ge=240, le=4320)
    left: int | None = None
    top: int | None = None
    language: Literal["zh_CN", "en"] = "zh_CN"
    idle_timeout_s: float = Field(default=90, ge=5, le=3600)
    font: Path | None = Field(default=None, description="a CJK font file; found with fontconfig when unset")
    screenshot_dir: Path | None = Field(default=None, description="write a screenshot of the window here")
    screenshot_every_s: float = Field(default=5, gt=0)
    hotline: str = Field(default="12345", max_length=32, description="service hotline shown when out of service")
    call_staff_interval_s: float = Field(default=60, ge=5, le=3600,
                                         description="repeated 呼叫工作人员 presses within this are not sent again")
    screen_diagonal_in: float = Field(default=21.5, gt=3, le=100,
                                      description="physical screen diagonal: touch targets are checked in mm")


_PIN_HASH_RE = re.compile(r"^pbkdf2_sha256\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")


class MaintenanceConfig(StrictModel):
    pin_hash: str = Field(description="made with `kiosk hash-pin`; never the PIN itself")
    corner_taps: int = Field(default=5, ge=3, le=10)
    corner_window_s: float = Field(default=3.0, gt=0, le=10)

    @field_validator("pin_hash")
    @classmethod
    def _hash(cls, value: str) -> str:
        if not _PIN_HASH_RE.match(value):
            raise ValueError("not a PIN hash made by `kiosk hash-pin` (pbkdf2_sha256$...)")
        return value


class ServerLinkConfig(StrictModel):
    url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    enrol_code: str = ""
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout_s: float = Field(default=10, gt=0, le=120)
    required: bool = False


class BackendConfig(StrictModel):
    """Where the terminal's content (catalog, cases, certificates) comes from (docs/CONTENT_API.md)."""

    source: Literal["server", "sample"] = Field(
        default="server", description="server: the [server]'s content API; sample: built-in 示例 data (demo, tests)")
    catalog_refresh_s: float = Field(default=300, ge=5, le=86400, description="check the catalog's ETag this often")
    retry_after_s: float = Field(default=30, ge=1, le=3600, description="offline: try the server again after")
    upload_timeout_s: float = Field(default=120, gt=0, le=600, description="read timeout of an application upload")


class PathsConfig(StrictModel):
    data_dir: Path = Path("var/kiosk")
    log_dir: Path = Path("var/kiosk/log")


class LivenessConfig(StrictModel):
    stall_timeout_s: float = Field(default=30, ge=2, le=600, description="restart when the UI stops ticking this long")
    max_rss_mb: int = Field(default=1024, ge=64)
    restart_backoff_s: float = Field(default=2, ge=0, le=300)


_HHMM_RE = r"^([01]\d|2[0-3]):[0-5]\d$"


class WindowApiConfig(StrictModel):
    """The evaluator's local HTTP API for the window (queue) system; always bound to 127.0.0.1."""

    enabled: bool = True
    port: int = Field(default=8765, ge=1024, le=65535)
    token: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9._~+/=-]+$",
                       description="shared secret sent as 'Authorization: Bearer TOKEN'")


class WindowSerialConfig(StrictModel):
    """An older queue system on a serial line (docs/evaluator-api.md, "Serial line protocol")."""

    enabled: bool = True
    port: str = Field(min_length=1, description="serial port, e.g. /dev/ttyUSB0")
    baudrate: int = Field(default=9600, ge=1200, le=921600)
    reconnect_s: float = Field(default=2.0, gt=0, le=60)


class EvaluatorConfig(StrictModel):
    """The window evaluator (评价器): rating rules, staff sign-in, screen hours (issue 10)."""

    api: WindowApiConfig | None = None
    serial: WindowSerialConfig | None = None
    sync_interval_s: float = Field(default=600, ge=10, le=86400,
                                   description="how often staff directory and reason list are fetched")
    min_interval_s: float = Field(default=30, ge=0, le=3600, description="between ratings without a new case")
    invite_timeout_s: float = Field(default=60, ge=5, le=600, description="unanswered invitation -> not rated")
    thanks_s: float = Field(default=5, ge=1, le=60, description="how long the thank-you screen stays")
    require_staff: bool = Field(default=True, description="cases and invitations need a signed-in staff member")
    voice: bool = Field(default=True, description="spoken invitation (espeak-ng) when a speaker is usable")
    staff_file: Path | None = Field(default=None, description="staff directory JSON; default DATA_DIR/staff.json")
    sample_staff: bool = Field(default=False, description="seed fictitious demo staff when there is no directory")
    wake_at: str = Field(default="07:30", pattern=_HHMM_RE, description="screen on from (local time); = sleep_at: always")
    sleep_at: str = Field(default="19:00", pattern=_HHMM_RE, description="screen dark from (local time)")
    dim_after_s: float = Field(default=300, ge=10, le=86400, description="dim when idle this long while awake")
    logout_at: str = Field(default="18:30", pattern=r"^(|([01]\d|2[0-3]):[0-5]\d)$",
                           description="end of day: staff signed out; empty = never")


class KioskConfig(StrictModel):
    """The whole configuration of one terminal or evaluator."""

    role: Literal["terminal", "evaluator"]
    config_version: str = "1"
    device: DeviceIdentity
    ui: UiConfig = UiConfig()
    maintenance: MaintenanceConfig
    server: ServerLinkConfig | None = None
    backend: BackendConfig = BackendConfig()
    paths: PathsConfig = PathsConfig()
    liveness: LivenessConfig = LivenessConfig()
    devices: DevicesConfig = DevicesConfig()
    evaluator: EvaluatorConfig | None = None


def _key_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _reason_of(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    msg = str(err.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a one-line :class:`ConfigError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, [("(file)", "not found")]) from None
    except OSError as exc:
        raise ConfigError(path, [("(file)", f"cannot be read: {exc.strerror}")]) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(path, [("(file)", "not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [("(syntax)", str(exc))]) from None


def validate_model(model: type[BaseModel], data: dict[str, Any], path: Path, prefix: tuple[str, ...] = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [(_key_of(prefix + tuple(e["loc"])), _reason_of(e)) for e in exc.errors()]
        raise ConfigError(path, problems) from None


def load_kiosk_config(path: str | Path, section: str | None = None) -> KioskConfig:
    """Load a terminal or evaluator config.

    ``section`` picks one table of a file that holds several devices (the demo's
    ``demo.toml`` has ``[terminal]`` and ``[evaluator]``); errors then name keys with the
    section in front so the technician finds the line.
    """
    path = Path(path)
    data = read_toml(path)
    prefix: tuple[str, ...] = ()
    if section:
        if section not in data:
            raise ConfigError(path, [(section, "section is missing")])
        data = data[section]
        if not isinstance(data, dict):
            raise ConfigError(path, [(section, "must be a table")])
        prefix = (section,)
    return validate_model(KioskConfig, data, path, prefix)
