package main

import (
	"bufio"
	"context"
	"net"
	"sync"
)

// serveTCP accepts connections on ln until ctx ends. On each it writes the
// -greeting line, if any, then echoes every line received.
func (s *server) serveTCP(ctx context.Context, ln net.Listener) {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		wg.Go(func() { s.echoConn(ctx, conn) })
	}
}

// echoConn serves one connection until the peer closes it or ctx ends.
func (s *server) echoConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if s.cfg.greeting != "" {
		if _, err := conn.Write([]byte(s.cfg.greeting + "\n")); err != nil {
			return
		}
	}
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if _, err := conn.Write(append(sc.Bytes(), '\n')); err != nil {
			return
		}
	}
}
