# embed_files(TARGET_SOURCE_VAR VAR FILES...): generates a C++ file defining
# c1tally::VAR (see embed_files.cmake) and puts its path in
# TARGET_SOURCE_VAR, to be listed among a library's sources.
function(embed_files out_var var)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${var}.cc)
  # A list would become several arguments of the command; pass one.
  string(REPLACE ";" "," files "${ARGN}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DVAR=${var} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${var}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
