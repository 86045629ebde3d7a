package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lowEndProfile runs programs as on a cheap phone: on one CPU (taskset,
// which holds every thread, the graphics library's too, where GOMAXPROCS
// holds only Go's) and in a memory cgroup with a limit on what it may keep
// resident, page cache included (where GOMEMLIMIT holds only the Go heap).
type lowEndProfile struct {
	name string
	dir  string // the cgroup (v1 memory controller)
}

// lowEnd makes the cgroup, or says why it cannot.
func lowEnd(limit int64) (*lowEndProfile, error) {
	if _, err := os.Stat("/usr/bin/taskset"); err != nil {
		return nil, errors.New("taskset is not installed")
	}
	root := "/sys/fs/cgroup/memory"
	if _, err := os.Stat(filepath.Join(root, "cgroup.procs")); err != nil {
		return nil, errors.New("no cgroup v1 memory controller at " + root)
	}
	dir := filepath.Join(root, fmt.Sprintf("waymark-bench-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("make a memory cgroup (needs root): %w", err)
	}
	l := &lowEndProfile{dir: dir, name: fmt.Sprintf("low-end (1 CPU, %d MiB)", limit>>20)}
	if err := l.write("memory.limit_in_bytes", strconv.FormatInt(limit, 10)); err != nil {
		l.remove()
		return nil, err
	}
	l.write("memory.swappiness", "0")
	return l, nil
}

// wrap starts argv inside the cgroup, on CPU 0.
func (l *lowEndProfile) wrap(argv []string) []string {
	return append([]string{"sh", "-c", `echo $$ > "$0/cgroup.procs" && exec taskset -c 0 "$@"`, l.dir}, argv...)
}

// before clears the cgroup's record of its peak and of hitting the limit.
func (l *lowEndProfile) before() {
	l.write("memory.max_usage_in_bytes", "0")
	l.write("memory.failcnt", "0")
}

// after reads the peak usage (MB) and how often the limit was hit.
func (l *lowEndProfile) after() (float64, float64) {
	return float64(l.read("memory.max_usage_in_bytes")) / 1e6, float64(l.read("memory.failcnt"))
}

func (l *lowEndProfile) write(name, v string) error {
	return os.WriteFile(filepath.Join(l.dir, name), []byte(v), 0o644)
}

func (l *lowEndProfile) read(name string) uint64 {
	data, _ := os.ReadFile(filepath.Join(l.dir, name))
	n, _ := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	return n
}

func (l *lowEndProfile) remove() { os.Remove(l.dir) }
