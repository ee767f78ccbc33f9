# Script-mode test driver; fails with message(FATAL_ERROR) at the first broken step.
file(REMOVE_RECURSE ${WORK_DIR})
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step(${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${WORK_DIR}/prefix)
# Plain compiler flags: an out-of-tree plugin is built however its author likes.
step(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
     -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
if(NOT EXISTS ${WORK_DIR}/build/plugins/cardsync-provider-hello.so)
  message(FATAL_ERROR "the plugin was not built where expected")
endif()
file(WRITE ${WORK_DIR}/cardsync.json "{}\n")
step(${CARDSYNC} --config ${WORK_DIR}/cardsync.json plugins list --plugin-dir ${WORK_DIR}/build/plugins)
if(NOT step_output MATCHES "hello +provider +0\\.3\\.0 +1\\.[0-9]+")
  message(FATAL_ERROR "cardsync did not list the out-of-tree plugin:\n${step_output}")
endif()
message(STATUS "out-of-tree plugin built and loaded:\n${step_output}")
