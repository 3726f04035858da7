// The emulator's SPARQL engine, for the library's tests that need a store of
// their own (tests/_rdf_store.ts): the dependency stays the emulator's.
import oxigraph from "npm:oxigraph@0.5.11";
export default oxigraph;
