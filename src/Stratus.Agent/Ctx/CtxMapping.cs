using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>A dict reached through the grammar: node properties (read-only) or runtime properties (tracked).</summary>
internal sealed class CtxMapping
{
    private readonly Action? _onChanged;

    public CtxMapping(JsonObject root, Action? onChanged, bool readOnly)
    {
        Root = root;
        _onChanged = onChanged;
        ReadOnly = readOnly;
    }

    public JsonObject Root { get; }

    public bool ReadOnly { get; }

    public JsonNode? Get(string path) => CtxPath.Get(Root, path);

    public void Set(string path, JsonNode? value)
    {
        if (ReadOnly)
        {
            throw new CtxException("NonRecoverableError", "Cannot override read only properties");
        }

        CtxPath.Set(Root, path, value);
        _onChanged?.Invoke();
    }
}
