// The Linux errno table (x86_64 and generic numbering), messages exactly as glibc's strerror.
//
// ERRNOS was generated once, on x86_64 with glibc 2.36 and Python 3.11, by this script:
//
//   import ctypes, errno, os
//   libc = ctypes.CDLL('libc.so.6'); libc.strerrorname_np.restype = ctypes.c_char_p
//   for n in range(1, 134):
//       name = libc.strerrorname_np(n)
//       if name is None: continue  # 41 and 58 are unused on Linux
//       code, message = name.decode(), os.strerror(n)
//       assert errno.errorcode.get(n) in (code, 'EDEADLOCK', 'ENOTSUP', None) and "'" not in message
//       print(f"  {{ number: {n}, code: '{code}', message: '{message}' }},")
//
// Codes come from glibc's strerrorname_np rather than Python's errno.errorcode, which picks
// the aliases EDEADLOCK (35) and ENOTSUP (95) and lacks EHWPOISON (133); the kernel's own
// names are EDEADLK, EOPNOTSUPP and EHWPOISON. The aliases are accepted by errnoByCode.

export interface ErrnoInfo {
  number: number;
  /** The symbolic name, e.g. "ENOENT". */
  code: string;
  /** glibc's strerror text, e.g. "No such file or directory". */
  message: string;
}

export const ERRNOS: readonly ErrnoInfo[] = [
  { number: 1, code: 'EPERM', message: 'Operation not permitted' },
  { number: 2, code: 'ENOENT', message: 'No such file or directory' },
  { number: 3, code: 'ESRCH', message: 'No such process' },
  { number: 4, code: 'EINTR', message: 'Interrupted system call' },
  { number: 5, code: 'EIO', message: 'Input/output error' },
  { number: 6, code: 'ENXIO', message: 'No such device or address' },
  { number: 7, code: 'E2BIG', message: 'Argument list too long' },
  { number: 8, code: 'ENOEXEC', message: 'Exec format error' },
  { number: 9, code: 'EBADF', message: 'Bad file descriptor' },
  { number: 10, code: 'ECHILD', message: 'No child processes' },
  { number: 11, code: 'EAGAIN', message: 'Resource temporarily unavailable' },
  { number: 12, code: 'ENOMEM', message: 'Cannot allocate memory' },
  { number: 13, code: 'EACCES', message: 'Permission denied' },
  { number: 14, code: 'EFAULT', message: 'Bad address' },
  { number: 15, code: 'ENOTBLK', message: 'Block device required' },
  { number: 16, code: 'EBUSY', message: 'Device or resource busy' },
  { number: 17, code: 'EEXIST', message: 'File exists' },
  { number: 18, code: 'EXDEV', message: 'Invalid cross-device link' },
  { number: 19, code: 'ENODEV', message: 'No such device' },
  { number: 20, code: 'ENOTDIR', message: 'Not a directory' },
  { number: 21, code: 'EISDIR', message: 'Is a directory' },
  { number: 22, code: 'EINVAL', message: 'Invalid argument' },
  { number: 23, code: 'ENFILE', message: 'Too many open files in system' },
  { number: 24, code: 'EMFILE', message: 'Too many open files' },
  { number: 25, code: 'ENOTTY', message: 'Inappropriate ioctl for device' },
  { number: 26, code: 'ETXTBSY', message: 'Text file busy' },
  { number: 27, code: 'EFBIG', message: 'File too large' },
  { number: 28, code: 'ENOSPC', message: 'No space left on device' },
  { number: 29, code: 'ESPIPE', message: 'Illegal seek' },
  { number: 30, code: 'EROFS', message: 'Read-only file system' },
  { number: 31, code: 'EMLINK', message: 'Too many links' },
  { number: 32, code: 'EPIPE', message: 'Broken pipe' },
  { number: 33, code: 'EDOM', message: 'Numerical argument out of domain' },
  { number: 34, code: 'ERANGE', message: 'Numerical result out of range' },
  { number: 35, code: 'EDEADLK', message: 'Resource deadlock avoided' },
  { number: 36, code: 'ENAMETOOLONG', message: 'File name too long' },
  { number: 37, code: 'ENOLCK', message: 'No locks available' },
  { number: 38, code: 'ENOSYS', message: 'Function not implemented' },
  { number: 39, code: 'ENOTEMPTY', message: 'Directory not empty' },
  { number: 40, code: 'ELOOP', message: 'Too many levels of symbolic links' },
  { number: 42, code: 'ENOMSG', message: 'No message of desired type' },
  { number: 43, code: 'EIDRM', message: 'Identifier removed' },
  { number: 44, code: 'ECHRNG', message: 'Channel number out of range' },
  { number: 45, code: 'EL2NSYNC', message: 'Level 2 not synchronized' },
  { number: 46, code: 'EL3HLT', message: 'Level 3 halted' },
  { number: 47, code: 'EL3RST', message: 'Level 3 reset' },
  { number: 48, code: 'ELNRNG', message: 'Link number out of range' },
  { number: 49, code: 'EUNATCH', message: 'Protocol driver not attached' },
  { number: 50, code: 'ENOCSI', message: 'No CSI structure available' },
  { number: 51, code: 'EL2HLT', message: 'Level 2 halted' },
  { number: 52, code: 'EBADE', message: 'Invalid exchange' },
  { number: 53, code: 'EBADR', message: 'Invalid request descriptor' },
  { number: 54, code: 'EXFULL', message: 'Exchange full' },
  { number: 55, code: 'ENOANO', message: 'No anode' },
  { number: 56, code: 'EBADRQC', message: 'Invalid request code' },
  { number: 57, code: 'EBADSLT', message: 'Invalid slot' },
  { number: 59, code: 'EBFONT', message: 'Bad font file format' },
  { number: 60, code: 'ENOSTR', message: 'Device not a stream' },
  { number: 61, code: 'ENODATA', message: 'No data available' },
  { number: 62, code: 'ETIME', message: 'Timer expired' },
  { number: 63, code: 'ENOSR', message: 'Out of streams resources' },
  { number: 64, code: 'ENONET', message: 'Machine is not on the network' },
  { number: 65, code: 'ENOPKG', message: 'Package not installed' },
  { number: 66, code: 'EREMOTE', message: 'Object is remote' },
  { number: 67, code: 'ENOLINK', message: 'Link has been severed' },
  { number: 68, code: 'EADV', message: 'Advertise error' },
  { number: 69, code: 'ESRMNT', message: 'Srmount error' },
  { number: 70, code: 'ECOMM', message: 'Communication error on send' },
  { number: 71, code: 'EPROTO', message: 'Protocol error' },
  { number: 72, code: 'EMULTIHOP', message: 'Multihop attempted' },
  { number: 73, code: 'EDOTDOT', message: 'RFS specific error' },
  { number: 74, code: 'EBADMSG', message: 'Bad message' },
  { number: 75, code: 'EOVERFLOW', message: 'Value too large for defined data type' },
  { number: 76, code: 'ENOTUNIQ', message: 'Name not unique on network' },
  { number: 77, code: 'EBADFD', message: 'File descriptor in bad state' },
  { number: 78, code: 'EREMCHG', message: 'Remote address changed' },
  { number: 79, code: 'ELIBACC', message: 'Can not access a needed shared library' },
  { number: 80, code: 'ELIBBAD', message: 'Accessing a corrupted shared library' },
  { number: 81, code: 'ELIBSCN', message: '.lib section in a.out corrupted' },
  { number: 82, code: 'ELIBMAX', message: 'Attempting to link in too many shared libraries' },
  { number: 83, code: 'ELIBEXEC', message: 'Cannot exec a shared library directly' },
  { number: 84, code: 'EILSEQ', message: 'Invalid or incomplete multibyte or wide character' },
  { number: 85, code: 'ERESTART', message: 'Interrupted system call should be restarted' },
  { number: 86, code: 'ESTRPIPE', message: 'Streams pipe error' },
  { number: 87, code: 'EUSERS', message: 'Too many users' },
  { number: 88, code: 'ENOTSOCK', message: 'Socket operation on non-socket' },
  { number: 89, code: 'EDESTADDRREQ', message: 'Destination address required' },
  { number: 90, code: 'EMSGSIZE', message: 'Message too long' },
  { number: 91, code: 'EPROTOTYPE', message: 'Protocol wrong type for socket' },
  { number: 92, code: 'ENOPROTOOPT', message: 'Protocol not available' },
  { number: 93, code: 'EPROTONOSUPPORT', message: 'Protocol not supported' },
  { number: 94, code: 'ESOCKTNOSUPPORT', message: 'Socket type not supported' },
  { number: 95, code: 'EOPNOTSUPP', message: 'Operation not supported' },
  { number: 96, code: 'EPFNOSUPPORT', message: 'Protocol family not supported' },
  { number: 97, code: 'EAFNOSUPPORT', message: 'Address family not supported by protocol' },
  { number: 98, code: 'EADDRINUSE', message: 'Address already in use' },
  { number: 99, code: 'EADDRNOTAVAIL', message: 'Cannot assign requested address' },
  { number: 100, code: 'ENETDOWN', message: 'Network is down' },
  { number: 101, code: 'ENETUNREACH', message: 'Network is unreachable' },
  { number: 102, code: 'ENETRESET', message: 'Network dropped connection on reset' },
  { number: 103, code: 'ECONNABORTED', message: 'Software caused connection abort' },
  { number: 104, code: 'ECONNRESET', message: 'Connection reset by peer' },
  { number: 105, code: 'ENOBUFS', message: 'No buffer space available' },
  { number: 106, code: 'EISCONN', message: 'Transport endpoint is already connected' },
  { number: 107, code: 'ENOTCONN', message: 'Transport endpoint is not connected' },
  { number: 108, code: 'ESHUTDOWN', message: 'Cannot send after transport endpoint shutdown' },
  { number: 109, code: 'ETOOMANYREFS', message: 'Too many references: cannot splice' },
  { number: 110, code: 'ETIMEDOUT', message: 'Connection timed out' },
  { number: 111, code: 'ECONNREFUSED', message: 'Connection refused' },
  { number: 112, code: 'EHOSTDOWN', message: 'Host is down' },
  { number: 113, code: 'EHOSTUNREACH', message: 'No route to host' },
  { number: 114, code: 'EALREADY', message: 'Operation already in progress' },
  { number: 115, code: 'EINPROGRESS', message: 'Operation now in progress' },
  { number: 116, code: 'ESTALE', message: 'Stale file handle' },
  { number: 117, code: 'EUCLEAN', message: 'Structure needs cleaning' },
  { number: 118, code: 'ENOTNAM', message: 'Not a XENIX named type file' },
  { number: 119, code: 'ENAVAIL', message: 'No XENIX semaphores available' },
  { number: 120, code: 'EISNAM', message: 'Is a named type file' },
  { number: 121, code: 'EREMOTEIO', message: 'Remote I/O error' },
  { number: 122, code: 'EDQUOT', message: 'Disk quota exceeded' },
  { number: 123, code: 'ENOMEDIUM', message: 'No medium found' },
  { number: 124, code: 'EMEDIUMTYPE', message: 'Wrong medium type' },
  { number: 125, code: 'ECANCELED', message: 'Operation canceled' },
  { number: 126, code: 'ENOKEY', message: 'Required key not available' },
  { number: 127, code: 'EKEYEXPIRED', message: 'Key has expired' },
  { number: 128, code: 'EKEYREVOKED', message: 'Key has been revoked' },
  { number: 129, code: 'EKEYREJECTED', message: 'Key was rejected by service' },
  { number: 130, code: 'EOWNERDEAD', message: 'Owner died' },
  { number: 131, code: 'ENOTRECOVERABLE', message: 'State not recoverable' },
  { number: 132, code: 'ERFKILL', message: 'Operation not possible due to RF-kill' },
  { number: 133, code: 'EHWPOISON', message: 'Memory page has hardware error' },
];

/** Other names for the same numbers, as <errno.h> defines them. */
const ALIASES: Readonly<Record<string, string>> = {
  EWOULDBLOCK: 'EAGAIN',
  EDEADLOCK: 'EDEADLK',
  ENOTSUP: 'EOPNOTSUPP',
};

const byNumber = new Map(ERRNOS.map((e) => [e.number, e]));
const byCode = new Map(ERRNOS.map((e) => [e.code, e]));

export function errnoByNumber(n: number): ErrnoInfo | undefined {
  return byNumber.get(n);
}

/** Looks up "ENOENT" (any case); the aliases EWOULDBLOCK, EDEADLOCK and ENOTSUP work too. */
export function errnoByCode(code: string): ErrnoInfo | undefined {
  const upper = code.toUpperCase();
  return byCode.get(ALIASES[upper] ?? upper);
}

/** Always answers: numbers Linux does not define read as glibc prints them. */
export function describeErrno(n: number): ErrnoInfo {
  return byNumber.get(n) ?? { number: n, code: `errno ${n}`, message: `Unknown error ${n}` };
}
