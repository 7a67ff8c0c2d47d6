using System.Text.Json.Nodes;

namespace Stratus.Server.Http;

internal static class ErrorBody
{
    public static JsonObject Create(string errorCode, string message) => new()
    {
        ["message"] = message,
        ["error_code"] = errorCode,
        ["server_traceback"] = null,
    };
}
