"""modelverse_core: the framework-neutral adapter for UCloud ModelVerse.

Types, request mapping, response and stream parsing, validation of the
documented limits, the error hierarchy, the model catalog and the HTTP client.
It imports neither LangChain nor LlamaIndex.
"""

from ._deprecated import moved
from .call import Prepared, Request
from .catalog import CATALOG, ModelCatalog, ModelInfo, model_info, split_model_version
from .client import AsyncStream, ModelverseClient, Stream
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InvalidRequestError,
    MalformedResponseError,
    MissingAPIKeyError,
    ModelverseError,
    NotFoundError,
    OutputLimitError,
    ParameterError,
    PermissionDeniedError,
    PromptTooLongError,
    RateLimitError,
    SensitiveContentError,
    ServerError,
    StreamTruncatedError,
)
from .limits import CompletionParams, SamplingParams
from .logprobs import legacy_logprobs, parse_logprobs
from .params import ModelverseCompletionParams, ModelverseParams
from .pipeline import build_completion_request, build_request, build_responses_request, prepare
from .settings import API_KEY_ENV, BASE_URL_ENV, REGIONS, ConnectionSettings
from .thinking import ThinkSplitter, split_think
from .types import (
    Choice,
    ForcedTool,
    ImagePart,
    JsonObjectFormat,
    JsonSchemaFormat,
    Message,
    RemoteModel,
    ResponseFormat,
    Result,
    StreamDelta,
    TextPart,
    TokenLogprob,
    ToolCall,
    ToolCallDelta,
    ToolChoice,
    ToolSpec,
    Usage,
)
from .wire import CHAT, COMPLETIONS, RESPONSES, Accumulator, Wire
from .wire.chat import ChatAccumulator, parse_response

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "CATALOG",
    "CHAT",
    "COMPLETIONS",
    "REGIONS",
    "RESPONSES",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "Accumulator",
    "AsyncStream",
    "AuthenticationError",
    "ChatAccumulator",
    "Choice",
    "CompletionParams",
    "ConnectionSettings",
    "ForcedTool",
    "ImagePart",
    "InvalidRequestError",
    "JsonObjectFormat",
    "JsonSchemaFormat",
    "MalformedResponseError",
    "Message",
    "MissingAPIKeyError",
    "ModelCatalog",
    "ModelInfo",
    "ModelverseClient",
    "ModelverseCompletionParams",
    "ModelverseError",
    "ModelverseParams",
    "NotFoundError",
    "OutputLimitError",
    "ParameterError",
    "PermissionDeniedError",
    "Prepared",
    "PromptTooLongError",
    "RateLimitError",
    "RemoteModel",
    "Request",
    "ResponseFormat",
    "Result",
    "SamplingParams",
    "SensitiveContentError",
    "ServerError",
    "Stream",
    "StreamDelta",
    "StreamTruncatedError",
    "TextPart",
    "ThinkSplitter",
    "TokenLogprob",
    "ToolCall",
    "ToolCallDelta",
    "ToolChoice",
    "ToolSpec",
    "Usage",
    "Wire",
    "build_completion_request",
    "build_request",
    "build_responses_request",
    "legacy_logprobs",
    "model_info",
    "parse_logprobs",
    "parse_response",
    "prepare",
    "split_model_version",
    "split_think",
]

__getattr__ = moved(  # the old names, for one release
    __name__,
    {
        "ChatResult": "modelverse_core.types:Result",
        "ChatStream": "modelverse_core.client:Stream",
        "AsyncChatStream": "modelverse_core.client:AsyncStream",
        "StreamAccumulator": "modelverse_core.wire.chat:ChatAccumulator",
    },
)
