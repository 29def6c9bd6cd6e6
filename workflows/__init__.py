import os

# Before Prefect is first imported: a client with no API URL must fail, not start an ephemeral
# server of its own (see deployments.environment).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
