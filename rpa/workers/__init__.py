"""Workers on many machines: a Celery app on a Redis broker (`katip worker`), and the dispatcher that sends
a distributed run's accounts to them (`rpa.workers.client`). An entry point, like the CLI: it calls the
app layer (`rpa.app.distributed.run_part`) and nothing below it."""
