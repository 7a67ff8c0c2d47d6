using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary>Walks every page of a Cloudify list with <c>_offset</c>/<c>_size</c> until <c>total</c> is reached.</summary>
public static class Paged
{
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<ListOptions, CancellationToken, Task<ListResponse<T>>> fetchPage,
        ListOptions? options = null,
        int pageSize = 1000,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetchPage);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var current = (options ?? new ListOptions()) with { Size = pageSize };
        var offset = current.Offset ?? 0;
        while (true)
        {
            var page = await fetchPage(current with { Offset = offset }, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            offset += page.Items.Count;
            if (page.Items.Count == 0 || offset >= page.Metadata.Pagination.Total)
            {
                yield break;
            }
        }
    }
}
