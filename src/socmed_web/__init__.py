"""`socmed serve`: the HTTP API (Litestar on uvicorn) over the same services as the CLI.

`socmed_web.app.create_app(services)` builds the app from the one composition root;
`socmed_web.asgi:create` is the factory uvicorn loads in each worker process.
"""
