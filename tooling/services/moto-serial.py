"""moto's server as `python -m moto.server -H HOST -p PORT` runs it, but one request at a time.

moto's stock server handles requests on threads and its DynamoDB backend takes no lock around a conditional
write (read the item, check the condition, store): two concurrent conditional writes of one item can both pass
their check, and the later store loses the earlier (a lost update real DynamoDB never makes; Granary's
conformance suite catches it with racing writers). Serialising the requests gives moto's own implementation of
each operation the atomicity DynamoDB promises. Usage: python moto-serial.py HOST PORT
"""

import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            # The whole response is produced inside the lock: the backend's work is done when it is released.
            return list(app(environ, start_response))

    run_simple(host, port, serialised, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
