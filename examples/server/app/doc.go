// Package app holds the use cases of the reference service: it knows
// neither HTTP nor SQL. Each command loads the documents it needs from a
// store.Store, lets the library decide, and saves the changed documents,
// their events and the actions they raise (the deal process's triggers,
// contract renewal alerts) to the outbox, all in one transaction. The
// reading and deciding happen before that transaction and the save is a
// versioned update, so the transaction only writes and still refuses a
// document written since it was read.
//
// Every call into the accord library is made in this package, so that a
// change of the library's API is a change here only. The other packages of
// the service see plain strings, raw JSON bodies and the documents to encode.
//
// Writes are optimistic: a command names the storage revision it read
// (the ETag the client holds) and fails with KindStale when the document
// has been written since.
package app
