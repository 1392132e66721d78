"""`socmed serve` and the webhook endpoints: the HTTP entry point (Litestar on uvicorn)."""
