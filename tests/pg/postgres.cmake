# A PostgreSQL cluster for the store's suites' second run (team mode): started once by the
# pg_cluster_start test, stopped by pg_cluster_stop (CTest runs it after the last test that needs
# it, also when tests fail). Tests that need it: sightline_add_pg_run(test...).
set(SIGHTLINE_PG_STATE ${CMAKE_BINARY_DIR}/pgtest)
add_test(NAME pg_cluster_start COMMAND ${CMAKE_CURRENT_LIST_DIR}/pgcluster.sh start ${SIGHTLINE_PG_STATE})
add_test(NAME pg_cluster_stop COMMAND ${CMAKE_CURRENT_LIST_DIR}/pgcluster.sh stop ${SIGHTLINE_PG_STATE})
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP postgres TIMEOUT 120)
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP postgres TIMEOUT 60)

# Runs each named test (already added with sightline_add_test) again as NAME_pg, against PostgreSQL.
function(sightline_add_pg_run)
    foreach(name ${ARGN})
        add_test(NAME ${name}_pg COMMAND ${name})
        set_tests_properties(${name}_pg PROPERTIES FIXTURES_REQUIRED postgres TIMEOUT 600
            ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SIGHTLINE_TEST_STORE_URL_FILE=${SIGHTLINE_PG_STATE}/url")
    endforeach()
endfunction()
