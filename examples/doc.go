// Package examples holds runnable example tests, one folder per story.
// Copy one to start: each runs against real containers.
//
//   - quickstart: one container for one test, reached on 127.0.0.1.
//   - webserver: an official image (nginx:1.27) configured with files
//     copied in, and two containers talking over a network of their own.
package examples
