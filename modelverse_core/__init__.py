"""modelverse_core: the framework-neutral adapter for UCloud ModelVerse.

Types, request mapping, response and stream parsing, validation of the
documented limits, the error hierarchy, the model catalog and the HTTP client.
It imports neither LangChain nor LlamaIndex.
"""

from .catalog import CATALOG, ModelCatalog, ModelInfo, model_info, split_model_version
from .client import AsyncChatStream, ChatStream, ModelverseClient
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
from .request import build_request
from .response import parse_response
from .settings import API_KEY_ENV, BASE_URL_ENV, REGIONS, ConnectionSettings
from .stream import StreamAccumulator
from .thinking import ThinkSplitter, split_think
from .types import (
    ChatResult,
    Choice,
    ForcedTool,
    ImagePart,
    JsonObjectFormat,
    JsonSchemaFormat,
    Message,
    RemoteModel,
    ResponseFormat,
    StreamDelta,
    TextPart,
    TokenLogprob,
    ToolCall,
    ToolCallDelta,
    ToolChoice,
    ToolSpec,
    Usage,
)
from .wire import CHAT, Accumulator, Wire
from .wire.completions import COMPLETIONS, build_completion_request
from .wire.responses import RESPONSES, build_responses_request

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
    "AsyncChatStream",
    "AuthenticationError",
    "ChatResult",
    "ChatStream",
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
    "PromptTooLongError",
    "RateLimitError",
    "RemoteModel",
    "ResponseFormat",
    "SamplingParams",
    "SensitiveContentError",
    "ServerError",
    "StreamAccumulator",
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
    "split_model_version",
    "split_think",
]
