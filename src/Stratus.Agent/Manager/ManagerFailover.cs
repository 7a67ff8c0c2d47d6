using System.Net;

namespace Stratus.Agent.Manager;

/// <summary>
/// Sends one REST call to the first manager that answers, starting with the one that answered last (shared by
/// every call of the process). A manager that cannot be reached, times out, or answers 502/503/504 is skipped;
/// Cloudify's agents likewise try each address of their <c>rest_host</c> list in turn.
/// </summary>
public sealed class ManagerFailover
{
    private int _current;

    /// <summary>The index of the manager the next call starts with.</summary>
    public int Current => Volatile.Read(ref _current);

    internal async Task<HttpResponseMessage> SendAsync(
        HttpClient http, IReadOnlyList<Uri> roots, Func<Uri, HttpRequestMessage> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(build);
        if (roots.Count == 0)
        {
            throw new ManagerApiException("No manager URL is configured.");
        }

        var start = Current % roots.Count;
        Exception? last = null;
        for (var i = 0; i < roots.Count; i++)
        {
            var index = (start + i) % roots.Count;
            using var request = build(roots[index]);
            try
            {
                var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                    && i < roots.Count - 1)
                {
                    last = new ManagerApiException(response.StatusCode, null, $"{Describe(roots[index])} answered {(int)response.StatusCode}");
                    response.Dispose();
                    continue;
                }

                Volatile.Write(ref _current, index);
                return response;
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout, not the caller's cancellation.
                last = e;
            }
        }

        throw new ManagerApiException(
            $"No manager could be reached (tried {string.Join(", ", roots.Select(Describe))}): {last?.Message}",
            last!);
    }

    /// <summary>A manager's address without any user information a URL may carry, fit for messages and logs.</summary>
    public static string Describe(Uri root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.IsDefaultPort ? $"{root.Scheme}://{root.Host}" : $"{root.Scheme}://{root.Host}:{root.Port}";
    }
}
