// Command go-forkexec launches one program with Go's own syscall.ForkExec and waits for
// it: the reference side of test/differential/go-forkexec.test.ts. Standard library only,
// nothing newer than Go 1.19 (Debian's golang-go).
//
//	go-forkexec [-in FD] [-out FD]
//
// reads one launch as JSON from FD (default 0, stdin) and writes one result as JSON to FD
// (default 1, stdout). The launch:
//
//	{
//	  "path": "/abs/program", "argv": ["prog", ...], "env": ["K=V", ...], "dir": "",
//	  "files": [3, 0, -1, ...],   ProcAttr.Files: a descriptor of THIS process per child
//	                              slot, -1 for a closed slot
//	  "keep": [70],               descriptors of this process left open across exec,
//	                              though not in files (see below)
//	  "pty": 5,                   optional: open a new pseudo-terminal and put its slave at
//	                              this descriptor of ours first (files can then name it);
//	                              its master stays open until the child is reaped
//	  "sys": { SysProcAttr, by Go's field names: Chroot, Credential {Uid, Gid, Groups,
//	           NoSetGroups}, Setsid, Setpgid, Pgid, Setctty, Noctty, Ctty, Foreground,
//	           Pdeathsig (a signal number), Cloneflags, Unshareflags, UidMappings,
//	           GidMappings ([{ContainerID, HostID, Size}]), GidMappingsEnableSetgroups,
//	           AmbientCaps }
//	}
//
// Ptrace is not accepted: a traced child stops at its execve, and nothing here would
// resume it. An unknown field is an error (exit status 2), so that a field the test sends
// is never silently dropped.
//
// The program opens nothing the child could see: the files it passes are the descriptors
// it was started with, which the test arranged. Before the launch it marks every one of
// its descriptors close-on-exec but those in "keep", as a Go program's own files always
// are (package os opens everything O_CLOEXEC): so the child gets its files (ForkExec's
// dup3 and fcntl clear the flag on each slot) and "keep", and nothing else.
//
// The result: {"self": {"pid", "pgid", "sid", "proc", "ns"}, "pid": child pid or 0,
// "status": {"exited", "code", "signaled", "signal"} or null, "errno": the errno ForkExec
// returned, -1 for an error that is no errno (a check in the parent), or 0; "error": its
// text or ""}. The exit status is 0 whenever the launch was attempted; 2 for a bad launch
// or a failure of this program, with {"fatal": "why"} as the result.
//
// "self" is this program as its child's launcher, read just before ForkExec on the thread
// that calls it: "proc" holds the raw text of /proc/thread-self/status and stat and of
// /proc/self/limits and oom_score_adj (the test parses them as it parses its own), "ns" the
// inode of each /proc/thread-self/ns/<name> (null when unreadable). The test compares the
// child's umask, nice, affinity, oom_score_adj, no_new_privs, limits and namespaces with
// its launcher's: Go 1.19 raises its own RLIMIT_NOFILE soft limit at startup (package os,
// rlimit.go) and its children inherit the raised limit (Go 1.21 restores it in children),
// so the launcher's values are this program's, not the test's.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

type credential struct {
	Uid         uint32
	Gid         uint32
	Groups      []uint32
	NoSetGroups bool
}

// SysProcAttr as of Go 1.19, without Ptrace.
type sysAttr struct {
	Chroot                     string
	Credential                 *credential
	Setsid                     bool
	Setpgid                    bool
	Pgid                       int
	Setctty                    bool
	Noctty                     bool
	Ctty                       int
	Foreground                 bool
	Pdeathsig                  int
	Cloneflags                 uintptr
	Unshareflags               uintptr
	UidMappings                []syscall.SysProcIDMap
	GidMappings                []syscall.SysProcIDMap
	GidMappingsEnableSetgroups bool
	AmbientCaps                []uintptr
}

type launch struct {
	Path  string   `json:"path"`
	Argv  []string `json:"argv"`
	Env   []string `json:"env"`
	Dir   string   `json:"dir"`
	Files []int    `json:"files"`
	Keep  []int    `json:"keep"`
	Pty   *int     `json:"pty"`
	Sys   sysAttr  `json:"sys"`
}

type status struct {
	Exited   bool `json:"exited"`
	Code     int  `json:"code"`
	Signaled bool `json:"signaled"`
	Signal   int  `json:"signal"`
}

type self struct {
	Pid  int                `json:"pid"`
	Pgid int                `json:"pgid"`
	Sid  int                `json:"sid"`
	Proc map[string]string  `json:"proc"`
	Ns   map[string]*uint64 `json:"ns"`
}

// procText is the text of a /proc file, or "" when it cannot be read.
func procText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// launcherState reads this thread's /proc state (the child inherits the calling thread's).
func launcherState() (map[string]string, map[string]*uint64) {
	proc := map[string]string{
		"status":      procText("/proc/thread-self/status"),
		"stat":        procText("/proc/thread-self/stat"),
		"limits":      procText("/proc/self/limits"),
		"oomScoreAdj": procText("/proc/self/oom_score_adj"),
	}
	ns := map[string]*uint64{}
	for _, name := range []string{"user", "pid", "mnt", "uts", "ipc", "net", "cgroup", "pid_for_children"} {
		var st syscall.Stat_t
		if syscall.Stat("/proc/thread-self/ns/"+name, &st) == nil {
			ino := st.Ino
			ns[name] = &ino
		} else {
			ns[name] = nil
		}
	}
	return proc, ns
}

type result struct {
	Self   self    `json:"self"`
	Pid    int     `json:"pid"`
	Status *status `json:"status"`
	Errno  int     `json:"errno"`
	Error  string  `json:"error"`
}

// out is where the result goes; until it is known, failures go to fd 2. Once it is, they
// go there too ({"fatal": "..."}): fd 2 may well be one of the files the test passes.
var out = -1

func fail(msg string) {
	if out < 0 {
		syscall.Write(2, []byte("go-forkexec: "+msg+"\n"))
	} else {
		b, _ := json.Marshal(map[string]string{"fatal": msg})
		syscall.Write(out, append(b, '\n'))
	}
	os.Exit(2)
}

func fdFlag(args []string, name string, def int) int {
	for i := 0; i < len(args); i++ {
		if args[i] != name {
			continue
		}
		if i+1 == len(args) {
			fail(name + " needs a descriptor")
		}
		n, err := strconv.Atoi(args[i+1])
		if err != nil || n < 0 {
			fail(name + ": bad descriptor: " + args[i+1])
		}
		return n
	}
	return def
}

func readAll(fd int) []byte {
	if err := syscall.SetNonblock(fd, false); err != nil {
		fail("input: " + err.Error())
	}
	var buf bytes.Buffer
	chunk := make([]byte, 64*1024)
	for {
		n, err := syscall.Read(fd, chunk)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			fail("read: " + err.Error())
		}
		if n == 0 {
			return buf.Bytes()
		}
		buf.Write(chunk[:n])
	}
}

func writeAll(fd int, b []byte) {
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			fail("write: " + err.Error())
		}
		b = b[n:]
	}
}

func ioctl(fd int, req uintptr, arg unsafe.Pointer) syscall.Errno {
	_, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
	return e
}

// openPty opens a new pseudo-terminal, puts its slave at fd `at` (close-on-exec, like
// everything of ours) and returns the master.
func openPty(at int) int {
	master, err := syscall.Open("/dev/ptmx", syscall.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fail("open /dev/ptmx: " + err.Error())
	}
	var unlock int32
	if e := ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); e != 0 {
		fail("TIOCSPTLCK: " + e.Error())
	}
	var n uint32
	if e := ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); e != 0 {
		fail("TIOCGPTN: " + e.Error())
	}
	slave, err := syscall.Open("/dev/pts/"+strconv.Itoa(int(n)), syscall.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fail("open the pty slave: " + err.Error())
	}
	if slave != at {
		if err := syscall.Dup3(slave, at, syscall.O_CLOEXEC); err != nil {
			fail("dup3 the pty slave: " + err.Error())
		}
		syscall.Close(slave)
	}
	return master
}

// closeOnExecAllBut marks every open descriptor of this process close-on-exec, but keep.
func closeOnExecAllBut(keep []int) {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		fail("list /proc/self/fd: " + err.Error())
	}
	kept := map[int]bool{}
	for _, fd := range keep {
		kept[fd] = true
	}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		flag := syscall.FD_CLOEXEC
		if kept[fd] {
			flag = 0
		}
		// The directory's own descriptor is closed by now: EBADF, ignored.
		syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_SETFD, uintptr(flag))
	}
	for _, fd := range keep {
		if _, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0); e != 0 {
			fail("keep: descriptor " + strconv.Itoa(fd) + ": " + e.Error())
		}
	}
}

func main() {
	// Pdeathsig is sent when the thread that started the child ends: stay on this one.
	runtime.LockOSThread()
	in := fdFlag(os.Args[1:], "-in", 0)
	out = fdFlag(os.Args[1:], "-out", 1)

	var l launch
	dec := json.NewDecoder(bytes.NewReader(readAll(in)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		fail("launch: " + err.Error())
	}
	if l.Path == "" {
		fail("launch: no path")
	}

	master := -1
	if l.Pty != nil {
		master = openPty(*l.Pty)
	}
	closeOnExecAllBut(l.Keep)

	files := make([]uintptr, len(l.Files))
	for i, fd := range l.Files {
		files[i] = uintptr(fd) // -1 becomes ^uintptr(0), as package os passes a nil *File
	}
	s := l.Sys
	sys := &syscall.SysProcAttr{
		Chroot:                     s.Chroot,
		Setsid:                     s.Setsid,
		Setpgid:                    s.Setpgid,
		Pgid:                       s.Pgid,
		Setctty:                    s.Setctty,
		Noctty:                     s.Noctty,
		Ctty:                       s.Ctty,
		Foreground:                 s.Foreground,
		Pdeathsig:                  syscall.Signal(s.Pdeathsig),
		Cloneflags:                 s.Cloneflags,
		Unshareflags:               s.Unshareflags,
		UidMappings:                s.UidMappings,
		GidMappings:                s.GidMappings,
		GidMappingsEnableSetgroups: s.GidMappingsEnableSetgroups,
		AmbientCaps:                s.AmbientCaps,
	}
	if c := s.Credential; c != nil {
		sys.Credential = &syscall.Credential{Uid: c.Uid, Gid: c.Gid, Groups: c.Groups, NoSetGroups: c.NoSetGroups}
	}

	sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
	pgid, _ := syscall.Getpgid(0)
	proc, ns := launcherState()
	r := result{Self: self{Pid: syscall.Getpid(), Pgid: pgid, Sid: int(sid), Proc: proc, Ns: ns}}

	pid, err := syscall.ForkExec(l.Path, l.Argv, &syscall.ProcAttr{Dir: l.Dir, Env: l.Env, Files: files, Sys: sys})
	if err != nil {
		r.Error = err.Error()
		if errno, ok := err.(syscall.Errno); ok {
			r.Errno = int(errno)
		} else {
			r.Errno = -1
		}
	} else {
		r.Pid = pid
		var ws syscall.WaitStatus
		for {
			_, err = syscall.Wait4(pid, &ws, 0, nil)
			if err != syscall.EINTR {
				break
			}
		}
		if err != nil {
			fail("wait4: " + err.Error())
		}
		st := &status{Exited: ws.Exited(), Signaled: ws.Signaled()}
		if st.Exited {
			st.Code = ws.ExitStatus()
		}
		if st.Signaled {
			st.Signal = int(ws.Signal())
		}
		r.Status = st
	}
	if master >= 0 {
		syscall.Close(master)
	}

	b, err := json.Marshal(r)
	if err != nil {
		fail("result: " + err.Error())
	}
	writeAll(out, append(b, '\n'))
}
