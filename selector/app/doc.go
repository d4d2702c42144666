// Package app is the library API under disco's front ends: what a command
// does (open the catalog and the models, resolve seeds, gather candidates,
// build a playlist, sort one) is a function here, and both cmd/disco and
// its web server (disco serve) call it, so that the two cannot drift.
//
// A Library is opened once (Open) and then answers any number of requests,
// concurrently: Build and Sort read the library and keep their state in
// the request. The front ends keep flag parsing, printing and HTTP.
//
// Requests carry a Log for the lines a command prints on standard error
// (what was left out, which sources filled the pool); nil discards them.
// Errors name what failed in the words of the request's fields, so that
// each front end can map them to its own names.
package app
