"""Packaging for the 政务服务 self-service terminal, window evaluator and management server.

One distribution holds all three roles because terminals and evaluators share the same
code base; the management server lives in ``server/`` and shares only the wire protocol.
"""
from setuptools import find_packages, setup

CORE = [
    "kivy==2.3.1",
    "pyserial>=3.5",
    # opencv-python-headless: the same cv2 module as opencv-python without Qt/GUI
    # libraries, which a kiosk never uses and which clash with SDL's X11 windowing.
    "opencv-python-headless>=4.8",
    "pyscard>=2.0",
    "qrcode>=7.4",
    "python-escpos>=3.1",
    "requests>=2.31",
    "pydantic>=2.6",
    "zxing-cpp>=2.2",
    "reportlab>=4.0",
    "numpy>=1.26",
    "psutil>=5.9",
    "pillow>=10",
    "pyusb>=1.2",  # USB receipt printers through python-escpos's Usb backend
    "evdev>=1.6; sys_platform == 'linux'",  # keyboard-wedge scanners, grabbed so keys never reach the UI
]

SERVER = [
    "fastapi>=0.110",
    "uvicorn[standard]>=0.27",
    "sqlalchemy>=2.0",
    "alembic>=1.13",
    "jinja2>=3.1",
    "argon2-cffi>=23.1",
    "python-multipart>=0.0.9",
    "psycopg[binary]>=3.1",
    "pydantic-settings>=2.2",
    "itsdangerous>=2.1",
    "chinese-calendar>=1.9",
    "openpyxl>=3.1",
    "pypinyin>=0.50",  # pinyin initials of item names, reading multi-reading characters in context
    "jsonschema-rs>=0.20",  # validates device requests against server/schemas/*.json, fast enough for ingestion
]

TEST = [
    "pytest>=8",
    "pytest-timeout>=2.2",
    "hypothesis>=6.100",
    "httpx>=0.27",
    "selenium>=4.18",
    "pyzbar>=0.1.9",
    "fonttools>=4.50",
    "schemathesis>=3.25",
    "bandit>=1.7",  # static security scan in the test suite (tests/security)
    "pip-audit>=2.7",  # dependency audit, where a vulnerability database is reachable
    "aiohttp>=3.9",  # bench/server.py: an open-loop load generator that does not stall under load
]

setup(
    name="zhengwu-kiosk",
    version="0.1.0",
    description="政务服务自助终端、窗口评价器与管理平台 / Government service hall kiosks, evaluators and management server",
    python_requires=">=3.11",
    packages=find_packages(include=["kiosk", "kiosk.*", "drivers", "drivers.*", "screens", "screens.*", "server", "server.*"]),
    include_package_data=True,
    package_data={
        "screens": ["*.kv", "**/*.kv"],
        "server": ["schemas/*.json", "web/templates/*", "web/static/*", "migrations/*", "migrations/**/*"],
    },
    install_requires=CORE,
    extras_require={"server": SERVER, "test": TEST + SERVER, "dev": TEST + SERVER + ["ruff", "mypy"]},
    entry_points={
        "console_scripts": [
            "kiosk=kiosk.cli:main",
            "kiosk-server=server.cli:main",
        ]
    },
)
