namespace Stratus.Server.Uploads;

/// <summary>Raised inside a connection attempt to an address the upload URL policy refuses.</summary>
internal sealed class UploadUrlRefusedException(string message) : Exception(message);
