package io.lparchiver.sim.liveperson;

/**
 * What the file download path has served so far.
 *
 * @param logins successful Login Service logins
 * @param refreshes successful session refreshes
 * @param urlsSigned temp URLs issued over the websocket
 * @param downloads files served by swift
 * @param refusedExpired swift requests refused because the temp URL had expired
 * @param refusedInvalid swift requests refused because the signature was missing or wrong
 * @param notFound swift requests for files that do not exist (or were removed by RTBF)
 * @param stalledDownloads downloads held after half the file ({@link FileFaults#stalledDownloads})
 * @param unavailable requests answered 503 ({@link FileFaults#unavailableDownloads})
 * @param trickled downloads sent slowly ({@link FileFaults#trickledDownloads})
 */
public record FileCounters(
    int logins,
    int refreshes,
    int urlsSigned,
    int downloads,
    int refusedExpired,
    int refusedInvalid,
    int notFound,
    int stalledDownloads,
    int unavailable,
    int trickled) {}
