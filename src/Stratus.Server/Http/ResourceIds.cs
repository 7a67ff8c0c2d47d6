using System.Buffers;
using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>Cloudify's id rule (letters, digits, <c>-</c>, <c>.</c>, <c>_</c>); ids also name folders on disk.</summary>
internal static class ResourceIds
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    public static void Validate(string argument, string id)
    {
        if (id.Length == 0 || id.Length > 256 || id.AsSpan().ContainsAnyExcept(Allowed) || id.All(c => c == '.'))
        {
            throw StratusException.BadParameters(
                $"The `{argument}` argument contains illegal characters. Only letters, digits and the characters \"-\", \".\" and \"_\" are allowed");
        }
    }

    public static StratusException NotFound(string kind, string id) =>
        StratusException.NotFound($"Requested `{kind}` with ID `{id}` was not found");

    public static StratusException AlreadyExists(string kind, string id, string tenant) =>
        StratusException.Conflict($"<{kind} id=`{id}` tenant=`{tenant}`> already exists on <Tenant name=`{tenant}`> or with global visibility");
}
