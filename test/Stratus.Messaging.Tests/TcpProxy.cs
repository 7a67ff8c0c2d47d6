using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Stratus.Messaging.Tests;

/// <summary>
/// A loopback TCP relay in front of a server, so a test can cut every connection at once (a network failure as the
/// client sees it: reset sockets, not a polite AMQP close) and then refuse new ones, or stall them for a while.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;
    private TaskCompletionSource _flowing = Flowing();
    private int _accepted;

    private TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port { get; private set; }

    /// <summary>Client connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Relayed connections currently open.</summary>
    public int Open => _sockets.Count / 2;

    public static TcpProxy Start(string targetHost, int targetPort)
    {
        var proxy = new TcpProxy(targetHost, targetPort);
        proxy._listener.Start();
        proxy.Port = ((IPEndPoint)proxy._listener.LocalEndpoint).Port;
        proxy._accepting = proxy.AcceptAsync();
        return proxy;
    }

    /// <summary>Resets every relayed connection; returns how many client connections were cut.</summary>
    public int DropConnections()
    {
        // Counted before cutting: cutting one side makes its relay cut the other side too.
        var sockets = _sockets.Keys.ToList();
        foreach (var socket in sockets)
        {
            if (_sockets.TryRemove(socket, out _))
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }
        }

        return sockets.Count / 2;
    }

    /// <summary>Holds every byte in both directions until <see cref="Resume"/>: calls hang as on a stalled network.</summary>
    public void Pause() => Volatile.Write(ref _flowing, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Relays what <see cref="Pause"/> held, and everything after.</summary>
    public void Resume() => Volatile.Read(ref _flowing).TrySetResult();

    /// <summary>Stops accepting: reconnection attempts are refused from now on.</summary>
    public void StopListening() => _listener.Stop();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Resume();
        _listener.Stop();
        DropConnections();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The accept loop ends with the listener.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            Interlocked.Increment(ref _accepted);
            _sockets.TryAdd(client, 0);
            _sockets.TryAdd(upstream, 0);
            _ = RelayAsync(client, upstream);
            _ = RelayAsync(upstream, client);
        }
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private async Task RelayAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await Volatile.Read(ref _flowing).Task;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side was cut: cut the other too.
        }

        foreach (var socket in new[] { from, to })
        {
            if (_sockets.TryRemove(socket, out _))
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
            }
        }
    }
}
