"""The local web app (``crampcheck serve``): an app factory and its routers.

:func:`crampcheck.web.app.create_app` builds the ASGI app; it needs the ``fastapi`` extra
(FastAPI, Jinja2, python-multipart, uvicorn). The pages' view model, charts and number
formatting are in :mod:`crampcheck.report` (no web dependency); ``web`` imports ``report``,
never the other way round.
"""
