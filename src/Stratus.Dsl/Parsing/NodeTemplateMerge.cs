using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>
/// Cloudify lets a node template be defined twice when one definition only adds relationships: a template that has
/// only <c>relationships</c> takes the other's fields, and a later relationships-only definition extends the list.
/// </summary>
internal static class NodeTemplateMerge
{
    private const string Relationships = "relationships";

    /// <summary>The merged template, or null when the two definitions conflict.</summary>
    public static YNode? TryMerge(YNode existing, YNode later)
    {
        if (existing is not YMap target || later is not YMap source || !target.ContainsKey(Relationships))
        {
            return null;
        }

        var onlyRelationshipsInSource = source.Count == 1 && source.ContainsKey(Relationships);
        if (target.Count == 1 && (source.ContainsKey("type") || onlyRelationshipsInSource))
        {
            return Extend(target, source);
        }

        return onlyRelationshipsInSource ? WithRelationships(target, Concat(target[Relationships], source[Relationships])) : null;
    }

    private static YMap Extend(YMap target, YMap source)
    {
        var entries = target.Entries.ToList();
        foreach (var (key, value) in source.Entries)
        {
            var at = entries.FindIndex(e => e.Key.Text == key.Text);
            if (value is YMap or YScalar { Value: string })
            {
                if (at < 0)
                {
                    entries.Add(new(key, value));
                }
                else
                {
                    entries[at] = new(entries[at].Key, value);
                }
            }
            else if (value is YSeq && key.Text == Relationships && at >= 0)
            {
                entries[at] = new(entries[at].Key, Concat(entries[at].Value, value));
            }
        }

        return new YMap(target.Mark, entries);
    }

    private static YMap WithRelationships(YMap target, YNode relationships) =>
        new(target.Mark, target.Entries.Select(e => e.Key.Text == Relationships ? new KeyValuePair<YScalar, YNode>(e.Key, relationships) : e).ToList());

    private static YNode Concat(YNode? first, YNode? second) => first is YSeq a && second is YSeq b
        ? new YSeq(a.Mark, [.. a.Items, .. b.Items])
        : first ?? second!;
}
