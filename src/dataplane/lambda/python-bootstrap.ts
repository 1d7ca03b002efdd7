/**
 * drydock's Python runtime interface client, as text: written to a file and run with `python3 -u`
 * for every `python3.x` function. It speaks the Lambda Runtime API like AWS's awslambdaric: it
 * imports `_HANDLER` (`module.function`, `pkg/module.function`) with LAMBDA_TASK_ROOT first on
 * sys.path, reports import failures as `Runtime.ImportModuleError` / `Runtime.HandlerNotFound` /
 * `Runtime.UserCodeSyntaxError`, and calls `handler(event, context)` with a context that has
 * `get_remaining_time_in_millis()`, `aws_request_id`, `function_name`, `function_version`,
 * `invoked_function_arn`, `memory_limit_in_mb`, `log_group_name`, `log_stream_name` and
 * `client_context`. Errors answer `{errorMessage, errorType, requestId, stackTrace}`; `logging`
 * records are written as `[LEVEL]\t<time>\t<request id>\t<message>`, as Lambda's Python runtime does.
 * boto3 is the machine's own; AWS_ENDPOINT_URL in the environment points it at drydock.
 */

export const PYTHON_BOOTSTRAP_FILE = 'python-bootstrap.py';

export const PYTHON_BOOTSTRAP_SOURCE = String.raw`# drydock's Python runtime interface client (Lambda Runtime API).
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
HOST, _, PORT = API.rpartition(":")
PREFIX = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "")
current_request_id = None

connection = http.client.HTTPConnection(HOST, int(PORT))


def call(method, path, body=None, headers=None):
    global connection
    for attempt in (1, 2):
        try:
            connection.request(method, PREFIX + path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        except (http.client.HTTPException, ConnectionError):
            connection.close()
            connection = http.client.HTTPConnection(HOST, int(PORT))
            if attempt == 2:
                raise


class LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            millis = int(record.msecs)
            message = self.format(record)
            sys.stdout.write(
                "[%s]\t%s.%03dZ\t%s\t%s\n" % (record.levelname, stamp, millis, current_request_id, message)
            )
        except Exception:
            self.handleError(record)


logging.getLogger().addHandler(LambdaLogHandler())


class RuntimeError_(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def error_document(error, request_id=None):
    error_type = getattr(error, "error_type", None) or type(error).__name__
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    document = {"errorMessage": str(error), "errorType": error_type}
    if request_id is not None:
        document["requestId"] = request_id
    document["stackTrace"] = traceback.format_list(frames)
    return document


def post_error(path, document):
    print("[ERROR] %s: %s" % (document["errorType"], document["errorMessage"]), flush=True)
    for line in document.get("stackTrace", []):
        sys.stdout.write(line)
    sys.stdout.flush()
    call(
        "POST",
        path,
        json.dumps(document),
        {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": document["errorType"]},
    )


def load_handler():
    module_path, dot, function_name = HANDLER.rpartition(".")
    if not dot or not module_path:
        raise RuntimeError_(
            "Runtime.MalformedHandlerName",
            "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % HANDLER,
        )
    module_name = module_path.replace("/", ".")
    if TASK_ROOT not in sys.path:
        sys.path.insert(0, TASK_ROOT)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise RuntimeError_("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
    except SyntaxError as error:
        raise RuntimeError_("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error))
    handler = getattr(module, function_name, None)
    if handler is None:
        raise RuntimeError_(
            "Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name)
        )
    return handler


class ClientContext:
    def __init__(self, document):
        self.client = document.get("client")
        self.custom = document.get("custom")
        self.env = document.get("env")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def main():
    global current_request_id
    try:
        handler = load_handler()
    except Exception as error:
        post_error("/init/error", error_document(error))
        sys.exit(1)
    while True:
        status, headers, body = call("GET", "/invocation/next")
        if status != 200:
            sys.exit(1)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        trace = headers.get("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        current_request_id = request_id
        context = LambdaContext(
            request_id,
            int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
            headers.get("Lambda-Runtime-Client-Context"),
        )
        try:
            result = handler(json.loads(body.decode("utf-8")), context)
            try:
                payload = json.dumps(result)
            except (TypeError, ValueError) as error:
                raise RuntimeError_("Runtime.MarshalError", "Unable to marshal response: %s" % error)
        except Exception as error:
            post_error("/invocation/%s/error" % request_id, error_document(error, request_id))
        else:
            call("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})
        current_request_id = None


main()
`;
