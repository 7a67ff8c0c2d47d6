using Stratus.Client;
using Stratus.Client.Models;

namespace Stratus.Cli.Commands;

internal static class Listing
{
    /// <summary>Every item of a list resource, page by page.</summary>
    public static async Task<List<T>> AllAsync<T>(
        Func<ListOptions, CancellationToken, Task<ListResponse<T>>> fetchPage,
        CancellationToken cancellationToken,
        ListOptions? options = null)
    {
        var items = new List<T>();
        await foreach (var item in Paged.AllAsync(fetchPage, options, cancellationToken: cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }
}
