"""`shipmate serve`: a GitHub webhook receiver that reviews pull requests in background workers.

Nothing here does I/O at import; FastAPI and uvicorn are imported inside the factory and the runner
of the server (`app.create_app`, `serving.run_server`), so `shipmate --help` stays fast.
"""
