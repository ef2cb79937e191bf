"""The kit's HTTP layer (starlette + uvicorn): request pipeline, control API, ASGI app, runner and CLI."""
