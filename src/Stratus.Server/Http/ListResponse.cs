using System.Text.Json.Nodes;
using Stratus.Storage;

namespace Stratus.Server.Http;

/// <summary>Cloudify's list body: <c>{"items": [...], "metadata": {"pagination": {...}, "filtered": null}}</c>.</summary>
internal static class ListResponse
{
    public static JsonObject Create<T>(Page<T> page, Func<T, JsonObject> render, IReadOnlyList<string>? include, bool withFiltered = true)
    {
        var items = new JsonArray();
        foreach (var item in page.Items)
        {
            items.Add(Project(render(item), include));
        }

        var metadata = new JsonObject
        {
            ["pagination"] = new JsonObject { ["total"] = page.Total, ["size"] = page.Size, ["offset"] = page.Offset },
        };
        if (withFiltered)
        {
            metadata["filtered"] = null;
        }

        return new JsonObject { ["items"] = items, ["metadata"] = metadata };
    }

    /// <summary>Applies <c>_include</c>: keeps only the named fields, in the order asked.</summary>
    public static JsonObject Project(JsonObject rendered, IReadOnlyList<string>? include)
    {
        if (include is null)
        {
            return rendered;
        }

        var projected = new JsonObject();
        foreach (var field in include)
        {
            if (rendered.TryGetPropertyValue(field, out var value))
            {
                rendered.Remove(field);
                projected[field] = value;
            }
        }

        return projected;
    }

    /// <summary>Pages a list already in memory the way the store would.</summary>
    public static Page<T> PageOf<T>(IReadOnlyList<T> all, ListQuery query)
    {
        ListQueryParser.RefuseRanges(query);

        if (query.GetAll)
        {
            return new Page<T>(all, all.Count, 0, all.Count);
        }

        return new Page<T>([.. all.Skip(query.Offset).Take(query.Size)], all.Count, query.Offset, query.Size);
    }
}
