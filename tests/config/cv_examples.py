"""Example cv.yaml texts shared by test_reader.py and test_schema.py (papers.bib beside them)."""

GOOD_CONFIG = """\
# yaml-language-server: $schema=./cv.schema.json
person:
  name: Jane Q. Doe
  aliases: [J. Q. Doe, Doe, Jane]
  headline: Associate Professor of *Marine Biology*
  email: jane@example.org
  phone: "+1 555 0100"
  location: Woods Hole, MA
  website: https://jane.example.org
  profiles:
    - {network: ORCID, username: 0000-0002-1825-0097}
    - network: GitHub
      username: jqdoe
      url: https://github.com/jqdoe
sections:
  - title: Education
    entries:
      - title: PhD in Biology
        organization: Stanford University
        location: Stanford, CA
        start: 2010-09
        end: 2015-06
        highlights:
          - "Thesis: **Coral** reefs"
        tags: [academic]
      - title: Visiting scholar
        organization: Oxford
        date: 2014
        optional: true
  - title: Publications
    publications:
      bib: papers.bib
      group_by: year
      order: newest
      author_limit: 10
      types: [journal, conference, preprint]
      since: 2012
  - title: Skills
    items:
      - Python, R, Julia
      - {label: Languages, text: "English, Spanish"}
  - title: About
    text: I study [coral reefs](https://example.org/reefs).
variants:
  full:
  short:
    sections: [Education, Publications]
    selected_only: true
    formats: [pdf]
    max_pages: 2
output:
  dir: out
  formats: [pdf, docx, md, tex]
  theme: academic
  engine: xelatex
  paper: letter
refresh:
  into: papers.fetched.bib
  mailto: jane@example.org
  sources:
    - dblp: "95/7448-1"
    - crossref: {orcid: 0000-0002-1825-0097, base_url: "http://127.0.0.1:8000"}
"""

# Each of these breaks one rule that both the loader and the JSON Schema know.
BAD_CONFIGS = {
    "unknown top key": "person: {name: J}\nsections: []\nsectoins: []\n",
    "missing name": "person: {email: a@b.org}\nsections: []\n",
    "section without kind": "person: {name: J}\nsections:\n  - title: X\n",
    "section with two kinds": "person: {name: J}\nsections:\n  - {title: X, text: a, items: [b]}\n",
    "bad enum": "person: {name: J}\nsections: []\noutput: {engine: xetex}\n",
    "bad date": "person: {name: J}\nsections:\n  - title: X\n    entries:\n      - {title: Y, start: Sept 2015}\n",
    "negative limit": "person: {name: J}\nsections:\n  - title: P\n    publications: {bib: p.bib, author_limit: -1}\n",
    "two-key source": "person: {name: J}\nsections: []\nrefresh:\n  into: m.bib\n  sources:\n    - {dblp: a, orcid: b}\n",
    "institution": "person: {name: J}\nsections:\n  - title: X\n    entries:\n      - {title: Y, institution: Z}\n",
}
