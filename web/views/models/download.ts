/** Saves bytes as a file through a temporary object URL (the browser's download, no server round trip). */
export function downloadBytes(bytes: ArrayBuffer, filename: string, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // Revoked on the next task: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
