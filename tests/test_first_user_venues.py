"""Issue 18, item 6: a proceedings volume prints its series and volume in every format.

``series={Lecture Notes in Computer Science}, volume={9972}, pages={439--450}`` once read
"…(ICCVG), 9972, 439–450": the series dropped and the number bare.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cvbuild.cli import main

# pl-zielinski-ml's entry, as its owner keeps it (realworld/pl-zielinski-ml/publications.bib)
LNCS = r"""@inproceedings{zielinski2016fully,
  title={Fully-Automatic Method for Assessment of Flow-Mediated Dilation},
  author={Zieli{\'n}ski, Bartosz and Dr{\'o}{\.z}d{\.z}, Agata and Frołow, Marzena},
  booktitle={International Conference on Computer Vision and Graphics (ICCVG)},
  series={Lecture Notes in Computer Science},
  volume={9972},
  pages={439--450},
  year={2016},
}

@article{journal2020,
  title={A Journal Paper},
  author={Zieliński, Bartosz},
  journal={Pattern Recognition},
  volume={99},
  number={3},
  pages={1--12},
  year={2020},
}
"""
CONFIG = """person:
  name: "Bartosz Zieliński"
sections:
  - title: Publications
    publications:
      bib: papers.bib
output:
  dir: out
  formats: [md, tex, docx]
"""
EXPECTED = "Lecture Notes in Computer Science, vol. 9972, pp. 439–450, 2016"
JOURNAL = "Pattern Recognition, 99(3), 1–12, 2020"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "papers.bib").write_text(LNCS, encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(CONFIG, encoding="utf-8")
    assert main(["build", str(tmp_path / "cv.yaml")]) == 0
    return tmp_path / "out" / "cv"


def test_markdown_names_the_series_and_volume(built: Path) -> None:
    md = (built / "Zielinski_Bartosz_CV.md").read_text(encoding="utf-8")
    assert (
        f"In *International Conference on Computer Vision and Graphics (ICCVG)*, {EXPECTED}." in md
    )
    assert "Pattern Recognition*, 99(3), 1–12, 2020." in md  # journals keep their style


def test_latex_names_the_series_and_volume(built: Path) -> None:
    tex = (built / "Zielinski_Bartosz_CV.tex").read_text(encoding="utf-8")
    flat = " ".join(tex.split()).replace("--", "–").replace("~", " ")
    assert "Lecture Notes in Computer Science, vol. 9972, pp. 439" in flat
    assert ", 9972, 439" not in flat


def test_word_names_the_series_and_volume(built: Path) -> None:
    docx = pytest.importorskip("docx")
    data = (built / "Zielinski_Bartosz_CV.docx").read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert EXPECTED in text.replace("\u00a0", " ")
    assert JOURNAL in text
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_plain_text_names_the_series_and_volume(built: Path) -> None:
    from cvbuild.build.export import make_bundle

    bundle = make_bundle(built.parent.parent / "cv.yaml", None, parts=("txt",))
    text = bundle.files["Zielinski_Bartosz_CV.txt"].decode("utf-8")
    assert EXPECTED in text and JOURNAL in text
