using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>Node templates that two files define: Cloudify lets a later file add relationships to an earlier one.</summary>
internal sealed partial class BlueprintSource
{
    private const string RelationshipsKey = "relationships";

    /// <summary>
    /// The node template <paramref name="earlier"/> extended by <paramref name="later"/>, or null when they conflict.
    /// An earlier template that has only relationships takes the later one's fields (or more relationships); a later
    /// one with only relationships appends them to the earlier one's.
    /// </summary>
    private static YMap? ExtendNodeTemplate(YNode earlier, YNode later)
    {
        if (earlier is not YMap to || later is not YMap from || to[RelationshipsKey] is not YSeq)
        {
            return null;
        }

        var laterOnlyRelationships = from.Count == 1 && from[RelationshipsKey] is not null;
        if (to.Count == 1 && (from.ContainsKey("type") || laterOnlyRelationships))
        {
            var entries = to.Entries.ToList();
            foreach (var entry in from.Entries)
            {
                var at = entries.FindIndex(e => e.Key.Text == entry.Key.Text);
                if (entry.Value is YMap or YScalar { Value: string })
                {
                    if (at >= 0)
                    {
                        entries[at] = entry;
                    }
                    else
                    {
                        entries.Add(entry);
                    }
                }
                else if (entry.Key.Text == RelationshipsKey && entry.Value is YSeq more && at >= 0)
                {
                    entries[at] = new(entries[at].Key, Append((YSeq)entries[at].Value, more));
                }
            }

            return new YMap(to.Mark, entries);
        }

        if (laterOnlyRelationships && from[RelationshipsKey] is YSeq added)
        {
            return new YMap(
                to.Mark,
                to.Entries.Select(e => e.Key.Text == RelationshipsKey ? new(e.Key, Append((YSeq)e.Value, added)) : e).ToList());
        }

        return null;
    }

    private static YSeq Append(YSeq first, YSeq second) => new(first.Mark, first.Items.Concat(second.Items).ToList());
}
