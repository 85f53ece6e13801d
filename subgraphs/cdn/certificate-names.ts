/** Which host names a certificate's name covers: itself, and for `*.example.com` one label below it. */
export function certificateCovers(certificateName: string, host: string): boolean {
  const name = certificateName.toLowerCase();
  const target = host.toLowerCase();
  if (name === target) return true;
  if (!name.startsWith('*.')) return false;
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(dot + 1) === name.slice(2);
}
