package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// watchCommand is "waymark-bench watch": it starts each given program in
// turn, runs times, under a new virtual display at phone size, each with
// a fresh HOME, and prints what the screen showed of each start. With
// -frames it keeps every different picture, to see what changed between
// them. It is how the first screen's extra frames were found. It ends
// with each program's medians.
//
//	go run ./cmd/waymark-bench watch [-runs 5] [-frames DIR] [-home fresh|returning] PROGRAM...
func watchCommand(args []string) error {
	fl := flag.NewFlagSet("watch", flag.ExitOnError)
	runs := fl.Int("runs", 5, "starts of each program, alternating")
	frames := fl.String("frames", "", "keep every different picture in this folder, one subfolder a start")
	home := fl.String("home", "fresh", "fresh: a new HOME each start; returning: one HOME, used once before")
	size := fl.String("size", phoneScreen, "the virtual display's size")
	fl.Parse(args)
	if fl.NArg() == 0 {
		return fmt.Errorf("watch: name the programs to start")
	}
	display, stop, err := xvfb(*size)
	if err != nil {
		return err
	}
	defer stop()
	s, err := openScreen(display)
	if err != nil {
		return err
	}
	defer s.close()
	work, err := os.MkdirTemp("", "waymark-watch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// Each program is started from a copy, as installed (see install).
	// A program that starts another (taskset, say) is copied, not the one
	// it starts.
	installed := map[string]string{}
	for j, bin := range fl.Args() {
		dir := filepath.Join(work, fmt.Sprintf("bin-%d", j))
		os.MkdirAll(dir, 0o755)
		installed[bin] = filepath.Join(dir, filepath.Base(bin))
		if err := install(bin, installed[bin]); err != nil {
			return err
		}
	}
	homes := map[string]string{}
	all := map[string][]seen{}
	for i := range *runs {
		for j, bin := range fl.Args() {
			h := filepath.Join(work, fmt.Sprintf("home-%d-%d", j, i))
			if *home == "returning" {
				if homes[bin] == "" {
					homes[bin] = filepath.Join(work, fmt.Sprintf("home-%d", j))
					if err := returningHome(homes[bin]); err != nil {
						return err
					}
					if _, err := watchStart(s, command(profile{}, installed[bin], homes[bin], display), ""); err != nil {
						return fmt.Errorf("%s: %w", bin, err)
					}
				}
				h = homes[bin]
			}
			dir := ""
			if *frames != "" {
				dir = filepath.Join(*frames, fmt.Sprintf("%s-%d", filepath.Base(bin), i))
				os.MkdirAll(dir, 0o755)
			}
			r, err := watchStart(s, command(profile{}, installed[bin], h, display), dir)
			if err != nil {
				return fmt.Errorf("%s: %w", bin, err)
			}
			fmt.Printf("%-24s first %6.0f ms  settled %6.0f ms  frames %d  rss %6.1f MB\n", filepath.Base(bin), r.FirstMS, r.SettledMS, r.Frames, r.RSSMB)
			all[bin] = append(all[bin], r)
		}
	}
	fmt.Println("medians:")
	for _, bin := range fl.Args() {
		m := medianSeen(all[bin])
		fmt.Printf("%-24s first %6.0f ms  settled %6.0f ms  frames %d  rss %6.1f MB\n", filepath.Base(bin), m.FirstMS, m.SettledMS, m.Frames, m.RSSMB)
	}
	return nil
}
