// Where a relative path leads from a directory, as chdir and open see it: an absolute path
// stands alone, a relative one goes on from the directory (itself maybe relative, to the
// lab's own). Bytes in, bytes out (contract 1c).
import { joinBytes, showBytes, type Bytes } from '../bytes';

export function inDir(path: Bytes, dir: Bytes | undefined): Bytes {
  if (dir === undefined || showBytes(path).startsWith('/')) return path;
  return showBytes(dir).endsWith('/') ? joinBytes(dir, path) : joinBytes(dir, '/', path);
}
