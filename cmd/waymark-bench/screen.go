package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// screen reads the whole of an X display's root window, as a person would
// see it, over the X11 protocol: one GetImage request a capture, a few
// milliseconds for a phone-sized screen (xwd takes tens, most of them
// starting the program). It speaks just enough X11 for that, with no
// authentication, as a local Xvfb allows.
type screen struct {
	conn          net.Conn
	root          uint32
	width, height uint16
	buf           []byte
}

// openScreen connects to display ":N".
func openScreen(display string) (*screen, error) {
	n := strings.TrimPrefix(display, ":")
	conn, err := net.Dial("unix", "/tmp/.X11-unix/X"+n)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", display, err)
	}
	s := &screen{conn: conn}
	if err := s.setup(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connect to %s: %w", display, err)
	}
	return s, nil
}

func (s *screen) setup() error {
	// Little-endian, protocol 11.0, no authorisation.
	req := []byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if _, err := s.conn.Write(req); err != nil {
		return err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(s.conn, head); err != nil {
		return err
	}
	rest := make([]byte, 4*int(binary.LittleEndian.Uint16(head[6:])))
	if _, err := io.ReadFull(s.conn, rest); err != nil {
		return err
	}
	if head[0] != 1 {
		return errors.New("the X server refused the connection: " + string(rest))
	}
	vendorLen := int(binary.LittleEndian.Uint16(rest[16:]))
	formats := int(rest[21])
	off := 32 + (vendorLen+3)/4*4 + 8*formats
	if len(rest) < off+24 {
		return errors.New("short X setup reply")
	}
	s.root = binary.LittleEndian.Uint32(rest[off:])
	s.width = binary.LittleEndian.Uint16(rest[off+20:])
	s.height = binary.LittleEndian.Uint16(rest[off+22:])
	// In the top-left corner, where neither the app nor the floor has
	// anything that reacts to it.
	return s.movePointer(0, 0)
}

// capture reads the root window's pixels. The slice is reused by the
// next capture.
func (s *screen) capture() ([]byte, error) {
	req := make([]byte, 20)
	req[0] = 73 // GetImage
	req[1] = 2  // ZPixmap
	binary.LittleEndian.PutUint16(req[2:], 5)
	binary.LittleEndian.PutUint32(req[4:], s.root)
	binary.LittleEndian.PutUint16(req[12:], s.width)
	binary.LittleEndian.PutUint16(req[14:], s.height)
	binary.LittleEndian.PutUint32(req[16:], 0xffffffff)
	if _, err := s.conn.Write(req); err != nil {
		return nil, err
	}
	head := make([]byte, 32)
	if _, err := io.ReadFull(s.conn, head); err != nil {
		return nil, err
	}
	if head[0] != 1 {
		return nil, fmt.Errorf("GetImage failed: X error %d", head[1])
	}
	n := 4 * int(binary.LittleEndian.Uint32(head[4:]))
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	s.buf = s.buf[:n]
	if _, err := io.ReadFull(s.conn, s.buf); err != nil {
		return nil, err
	}
	return s.buf, nil
}

// same reports whether two captures are the same picture.
func same(a, b []byte) bool { return bytes.Equal(a, b) }

func (s *screen) close() { s.conn.Close() }

// movePointer puts the pointer at x, y on the screen. A phone has no
// pointer; a program whose window opens under it may show something as
// hovered, which is not part of starting up.
func (s *screen) movePointer(x, y int16) error {
	req := make([]byte, 24)
	req[0] = 41 // WarpPointer
	binary.LittleEndian.PutUint16(req[2:], 6)
	binary.LittleEndian.PutUint32(req[8:], s.root)
	binary.LittleEndian.PutUint16(req[20:], uint16(x))
	binary.LittleEndian.PutUint16(req[22:], uint16(y))
	_, err := s.conn.Write(req)
	return err
}
