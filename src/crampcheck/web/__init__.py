"""The local web app (``crampcheck serve``) and the SVG charts it shares with the report.

:func:`crampcheck.web.app.create_app` builds the ASGI app; it needs the ``fastapi`` extra
(FastAPI, Jinja2, python-multipart, uvicorn). :mod:`crampcheck.web.charts` has no dependency.
"""
