using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sitrep.Fuzz;

/// <summary>A minimal HTTP/1.1 server on 127.0.0.1 (one request per connection) serving the feeds and pages of the current batch.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, (byte[] Body, string Type)> _routes = new(StringComparer.Ordinal);

    public LoopbackServer()
    {
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Base => $"http://127.0.0.1:{Port}";
    public void Map(string path, byte[] body, string type) => _routes[path] = (body, type);
    public void Clear() => _routes.Clear();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buf = new byte[8192];
                int n = 0;
                while (true)
                {
                    int r = await stream.ReadAsync(buf.AsMemory(n), _stop.Token);
                    if (r == 0) return;
                    n += r;
                    if (buf.AsSpan(0, n).IndexOf("\r\n\r\n"u8) >= 0) break;
                    if (n == buf.Length) return;
                }
                var head = Encoding.ASCII.GetString(buf, 0, n);
                var first = head[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                var path = first.Length > 1 ? first[1] : "/";
                bool headOnly = first[0] == "HEAD";
                var (status, body, type) = _routes.TryGetValue(path, out var route) ? (200, route.Body, route.Type) : (404, "not found"u8.ToArray(), "text/plain");
                var sb = new StringBuilder();
                sb.Append($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\n");
                sb.Append($"Content-Type: {type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), _stop.Token);
                if (!headOnly) await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception) { /* the client went away */ }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
