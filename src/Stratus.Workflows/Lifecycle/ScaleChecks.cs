namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// Cloudify's <c>validate_inclusions_and_exclusions</c>: every problem with the include/exclude lists of a scale-in in
/// one message, followed by the instances that could have been named.
/// </summary>
internal static class ScaleChecks
{
    /// <summary>The message, or null when the lists are fine. <paramref name="groupMembers"/> is empty for a node.</summary>
    public static string? Check(
        IReadOnlyList<string> include,
        IReadOnlyList<string> exclude,
        IReadOnlyCollection<string> available,
        long delta,
        bool scaleCompute,
        IReadOnlyDictionary<string, List<string>> groupMembers)
    {
        if (include.Count == 0 && exclude.Count == 0)
        {
            return null;
        }

        var message = "";
        var missingInclude = include.Where(i => !available.Contains(i)).Distinct().ToList();
        if (missingInclude.Count > 0)
        {
            message += $"The following included instances did not exist: {string.Join(", ", missingInclude)}. ";
        }

        var missingExclude = exclude.Where(i => !available.Contains(i)).Distinct().ToList();
        if (missingExclude.Count > 0)
        {
            message += $"The following excluded instances did not exist: {string.Join(", ", missingExclude)}. ";
        }

        var both = exclude.Intersect(include).ToList();
        if (both.Count > 0)
        {
            message += $"The following instances were both excluded and included: {string.Join(", ", both)}. ";
        }

        message += TooManyExclusions(exclude, available, delta, groupMembers);
        if (scaleCompute)
        {
            message += "Cannot include or exclude instances while scale_compute is True. Please specify the desired compute instances "
                + "and set scale_compute to False. ";
        }

        if (message.Length == 0)
        {
            return null;
        }

        return message + (groupMembers.Count > 0
            ? "Groups and member instances were: " + string.Join("; ", groupMembers.Select(g => $"{g.Key}: {string.Join(", ", g.Value)}"))
            : "Available instances were: " + string.Join(", ", available));
    }

    private static string TooManyExclusions(
        IReadOnlyList<string> exclude, IReadOnlyCollection<string> available, long delta, IReadOnlyDictionary<string, List<string>> groupMembers)
    {
        if (groupMembers.Count > 0)
        {
            var excludedGroups = groupMembers.Where(g => exclude.Any(e => e == g.Key || g.Value.Contains(e))).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            var plannedGroups = groupMembers.Count + delta;
            return plannedGroups < excludedGroups.Count
                ? $"Instances from too many different groups were excluded. Target number of group instances was {plannedGroups}, but {excludedGroups.Count} excluded groups."
                : "";
        }

        var planned = available.Count + delta;
        return planned < exclude.Count
            ? $"Target number of instances is less than excluded instance count. Target number of instances was {planned}. "
                + $"Excluded instances were: {string.Join(", ", exclude)}. "
            : "";
    }
}
