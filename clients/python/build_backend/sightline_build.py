"""A PEP 517 build backend made of the standard library alone.

``pip install ./clients/python`` builds in an isolated environment and installs the backend's
requirements there first. Requiring setuptools (or any other backend) would make that step
download it, so the install would fail on a machine without a package index. This backend has
no requirements: it zips the ``sightline`` package into a pure-Python wheel (and a source
archive), with the metadata taken from the ``[project]`` table of pyproject.toml.

It supports exactly what this project needs: one top-level package, no compiled code, no
dependencies and no entry points. ``pip install -e`` works too (PEP 660, through a ``.pth`` file).
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "sightline"
# What a source archive carries besides the package itself.
SDIST_EXTRA = ["pyproject.toml", "README.md", "build_backend/sightline_build.py"]


def _project():
    """The ``[project]`` table's plain string values (all this project's pyproject.toml uses)."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        tomllib = None
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        return {k: v for k, v in project.items() if isinstance(v, str)}
    values, section = {}, None
    for line in text.splitlines():
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            section = header.group(1).strip()
            continue
        pair = re.match(r'^\s*([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$', line)
        if section == "project" and pair:
            values[pair.group(1)] = pair.group(2).replace('\\"', '"').replace("\\\\", "\\")
    return values


def _names():
    project = _project()
    name, version = project["name"], project["version"]
    # Wheel and sdist file names use the normalised name (PEP 427 / PEP 625).
    return project, re.sub(r"[-_.]+", "_", name).lower(), version


def _metadata():
    project, _, _ = _names()
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
    ]
    if "description" in project:
        lines.append("Summary: " + project["description"])
    if "requires-python" in project:
        lines.append("Requires-Python: " + project["requires-python"])
    lines.append("License: MIT")
    readme = project.get("readme")
    body = ""
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(ROOT, readme), encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _package_files():
    """(path inside the wheel, path on disk) of every module of the package, sorted."""
    found = []
    for directory, dirs, files in os.walk(os.path.join(ROOT, PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".typed")):
                disk = os.path.join(directory, name)
                found.append((os.path.relpath(disk, ROOT).replace(os.sep, "/"), disk))
    return found


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def _write_wheel(wheel_directory, contents):
    """Writes a py3-none-any wheel holding ``contents`` ([(path, bytes)]) plus its dist-info."""
    _, dist, version = _names()
    info = "%s-%s.dist-info" % (dist, version)
    entries = list(contents) + [
        (info + "/METADATA", _metadata().encode("utf-8")),
        (info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: sightline_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = [_record_line(path, data) for path, data in entries] + [info + "/RECORD,,"]
    entries.append((info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    filename = "%s-%s-py3-none-any.whl" % (dist, version)
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            wheel.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return filename


def _read(disk):
    with open(disk, "rb") as f:
        return f.read()


# --- the PEP 517 / PEP 660 hooks -------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(path, _read(disk)) for path, disk in _package_files()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _, dist, _ = _names()
    # A .pth line puts the source folder on sys.path, so edits take effect without reinstalling.
    return _write_wheel(wheel_directory, [(dist + ".pth", (ROOT + "\n").encode("utf-8"))])


def build_sdist(sdist_directory, config_settings=None):
    _, dist, version = _names()
    base = "%s-%s" % (dist, version)
    filename = base + ".tar.gz"
    files = [(rel, os.path.join(ROOT, rel)) for rel in SDIST_EXTRA] + _package_files()
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for rel, disk in files:
            data = _read(disk)
            member = tarfile.TarInfo(base + "/" + rel)
            member.size = len(data)
            member.mode = 0o644
            archive.addfile(member, io.BytesIO(data))
        pkg_info = _metadata().encode("utf-8")
        member = tarfile.TarInfo(base + "/PKG-INFO")
        member.size = len(pkg_info)
        member.mode = 0o644
        archive.addfile(member, io.BytesIO(pkg_info))
    return filename
