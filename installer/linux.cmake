# The Linux desktop's files: desktop entry, AppStream metainfo, hicolor icons, man page.
set(linux_dir ${SIGHTLINE_RESOURCES}/linux)
set(generated ${CMAKE_CURRENT_BINARY_DIR}/linux)

install(FILES ${linux_dir}/${SIGHTLINE_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)

configure_file(${linux_dir}/${SIGHTLINE_APP_ID}.metainfo.xml ${generated}/${SIGHTLINE_APP_ID}.metainfo.xml @ONLY)
install(FILES ${generated}/${SIGHTLINE_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)

# Icons: the SVG as it is, and PNGs rendered from it at build time by a small Qt tool.
install(FILES ${SIGHTLINE_RESOURCES}/icons/sightline.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${SIGHTLINE_APP_ID}.svg)
add_executable(sightline-render-icons tools/rendericons.cpp)
target_link_libraries(sightline-render-icons PRIVATE Qt6::Gui Qt6::Svg sightline_build_rules)
set(icon_sizes 16 22 24 32 48 64 128 256)
set(icon_dir ${generated}/icons)
set(icon_files)
foreach(size IN LISTS icon_sizes)
    list(APPEND icon_files ${icon_dir}/${size}x${size}/apps/${SIGHTLINE_APP_ID}.png)
endforeach()
add_custom_command(OUTPUT ${icon_files}
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            $<TARGET_FILE:sightline-render-icons> ${SIGHTLINE_RESOURCES}/icons/sightline.svg ${icon_dir}
            ${SIGHTLINE_APP_ID} ${icon_sizes}
    DEPENDS sightline-render-icons ${SIGHTLINE_RESOURCES}/icons/sightline.svg
    COMMENT "Rendering the application icon as PNG")
add_custom_target(sightline-icons ALL DEPENDS ${icon_files})
install(DIRECTORY ${icon_dir}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor)

# Man pages, compressed as Debian keeps them.
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(man_pages)
foreach(page sightline.1 sightline-cli.1 sightline-sandbox.1)
    configure_file(${linux_dir}/${page} ${generated}/man/${page} @ONLY)
    add_custom_command(OUTPUT ${generated}/man/${page}.gz
        COMMAND ${GZIP_EXECUTABLE} -9nf -k ${generated}/man/${page}
        DEPENDS ${generated}/man/${page} ${linux_dir}/${page}
        COMMENT "Compressing the man page ${page}")
    list(APPEND man_pages ${generated}/man/${page}.gz)
endforeach()
add_custom_target(sightline-manpage ALL DEPENDS ${man_pages})
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Team mode's ingest service (installer/sightline-sync.service), installed disabled. Its ExecStart
# names the program where the package puts it (/usr/bin).
set(SIGHTLINE_UNIT_BINDIR /usr/${CMAKE_INSTALL_BINDIR})
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/sightline-sync.service ${generated}/sightline-sync.service @ONLY)
install(FILES ${generated}/sightline-sync.service DESTINATION lib/systemd/system)
