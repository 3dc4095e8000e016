"""--preview: page 1 of the PDF as a PNG beside it, via pdftoppm when installed."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from cvbuild import preview
from cvbuild.errors import ExternalError

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm absent")


def _tiny_pdf(pages: int = 2) -> bytes:
    """A valid PDF of ``pages`` A6 pages, each with a filled black square."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    content = b"0 0 0 rg 20 20 100 100 re f"
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_pdftoppm
def test_writes_page_one_beside_the_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "Doe_Jane_CV.pdf"
    pdf.write_bytes(_tiny_pdf())
    png = preview.preview_png(pdf)
    assert png == tmp_path / "Doe_Jane_CV.png"
    # A6 at 80 dpi: 298/72*80 x 420/72*80 pixels — one page, not two stacked.
    width, height = _png_size(png)
    assert abs(width - 331) <= 1 and abs(height - 467) <= 1
    # Nothing else left behind (no page-1.png, no temporary folder).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Doe_Jane_CV.pdf", "Doe_Jane_CV.png"]
    assert preview.missing_reason() is None


@needs_pdftoppm
def test_a_broken_pdf_is_an_external_error_and_keeps_the_old_preview(tmp_path: Path) -> None:
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    old = tmp_path / "cv.png"
    old.write_bytes(b"old preview")
    with pytest.raises(ExternalError, match="pdftoppm could not render cv.pdf"):
        preview.preview_png(pdf)
    assert old.read_bytes() == b"old preview"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv.pdf", "cv.png"]


def test_missing_pdftoppm_gives_none_and_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(_tiny_pdf(1))
    assert preview.preview_png(pdf) is None
    reason = preview.missing_reason()
    assert reason is not None and "pdftoppm" in reason and "poppler" in reason
    assert not (tmp_path / "cv.png").exists()
