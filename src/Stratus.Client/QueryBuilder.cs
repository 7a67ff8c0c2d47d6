using System.Text;

namespace Stratus.Client;

/// <summary>Builds a query string with repeated keys allowed (Cloudify reads multi-valued arguments).</summary>
internal sealed class QueryBuilder
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public QueryBuilder Add(string key, string value)
    {
        _pairs.Add(new(key, value));
        return this;
    }

    public QueryBuilder AddIf(bool condition, string key, string value) => condition ? Add(key, value) : this;

    public override string ToString()
    {
        if (_pairs.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder("?");
        foreach (var (key, value) in _pairs)
        {
            if (text.Length > 1)
            {
                text.Append('&');
            }

            text.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }
}
