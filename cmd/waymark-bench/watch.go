package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// seen is what a person would have seen of one start, read from the
// screen: when the first picture appeared, when the screen stopped
// changing, how many different pictures it showed on the way, and the
// process's resident memory once it had settled.
type seen struct {
	FirstMS   float64 `json:"first_ms"`   // process start to the first change on screen
	SettledMS float64 `json:"settled_ms"` // process start to the last change
	Frames    int     `json:"frames"`     // different pictures shown, the settled one included
	RSSMB     float64 `json:"rss_mb"`     // VmRSS once settled
}

// quiet is how long the screen must stay the same after a change for the
// start to count as settled.
const quiet = 1500 * time.Millisecond

// watchStart starts cmd and captures the screen in a tight loop from
// just before the process starts until nothing has changed for quiet, then
// reads its resident memory, stops it (SIGTERM, as a system would) and
// waits for the screen to be empty again. If dir is not "", every
// different picture is saved there as a PNG named after its time.
func watchStart(s *screen, cmd *exec.Cmd, dir string) (seen, error) {
	blank, err := s.capture()
	if err != nil {
		return seen{}, err
	}
	prev := append([]byte(nil), blank...)
	var r seen
	var last time.Time
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	for {
		t0 := time.Now()
		img, err := s.capture()
		if err != nil {
			stop()
			return r, err
		}
		at := t0.Add(time.Since(t0) / 2) // the picture was read during the request
		if !same(img, prev) {
			prev = append(prev[:0], img...)
			last = at
			r.Frames++
			if r.Frames == 1 {
				r.FirstMS = ms(at.Sub(start))
			}
			r.SettledMS = ms(at.Sub(start))
			if dir != "" {
				savePNG(filepath.Join(dir, fmt.Sprintf("%05.0f.png", r.SettledMS)), img, s)
			}
		}
		select {
		case err := <-exited:
			return r, fmt.Errorf("exited before settling: %v", err)
		default:
		}
		if r.Frames > 0 && time.Since(last) > quiet {
			break
		}
		if time.Since(start) > 30*time.Second {
			stop()
			return r, fmt.Errorf("nothing on screen, or never settled, after 30 s")
		}
	}
	r.RSSMB = float64(procKB(cmd.Process.Pid, "VmRSS:")) * 1024 / 1e6
	stop()
	// The next start must begin on an empty screen.
	for t := time.Now(); time.Since(t) < 5*time.Second; time.Sleep(20 * time.Millisecond) {
		img, err := s.capture()
		if err != nil || same(img, blank) {
			break
		}
	}
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// procKB reads a "Name:   123 kB" line of /proc/PID/status.
func procKB(pid int, name string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, name); ok {
			var kb int
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb
		}
	}
	return 0
}

// savePNG writes a capture (32 bits a pixel, BGRX) as a PNG.
func savePNG(path string, pix []byte, s *screen) {
	w, h := int(s.width), int(s.height)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h && 4*i+3 < len(pix); i++ {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = pix[4*i+2], pix[4*i+1], pix[4*i], 255
	}
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	png.Encode(f, img)
}
