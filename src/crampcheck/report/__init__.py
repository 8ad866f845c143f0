"""What every output shows, and how: the view model (:mod:`.views`), the SVG charts
(:mod:`.charts`), nutrient names and number formatting (:mod:`.labels`), the plan's words
(:mod:`.plan_text`), and the outputs themselves: terminal text (:mod:`.text`), the HTML report
(:mod:`.html`) and the PDF (:mod:`.pdf`).

The web pages (:mod:`crampcheck.web`) import from here and include the shared templates in
:data:`TEMPLATES`; nothing here imports :mod:`crampcheck.web`, so writing a PDF or printing a
report loads no web framework.
"""

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"  # report.html and the parts the pages share
